/// A unified diff of two texts, line by line, with three lines of context, as `diff -u` prints it.
enum UnifiedDiff {
    static func make(old: String, new: String, path: String, context: Int = 3) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Myers' algorithm (from the standard library) is O(N·D); it runs only on the part between the
        // common head and tail, which for an edit is a few lines however large the file.
        var head = 0
        while head < a.count && head < b.count && a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head && tail < b.count - head && a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let difference = b[head..<(b.count - tail)].difference(from: a[head..<(a.count - tail)])
        var removed = Set<Int>()
        var inserted = Set<Int>()
        for change in difference {
            switch change {
            // Offsets count from the start of the middle part.
            case .remove(let offset, _, _): removed.insert(head + offset)
            case .insert(let offset, _, _): inserted.insert(head + offset)
            }
        }
        // Walk both sides together, producing (kind, text, oldLine, newLine) rows.
        var rows: [(kind: Character, text: String, old: Int, new: Int)] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count && removed.contains(i) {
                rows.append(("-", a[i], i, j))
                i += 1
            } else if j < b.count && inserted.contains(j) {
                rows.append(("+", b[j], i, j))
                j += 1
            } else {
                rows.append((" ", i < a.count ? a[i] : "", i, j))
                i += 1
                j += 1
            }
        }
        let changed = rows.indices.filter { rows[$0].kind != " " }
        guard !changed.isEmpty else { return "" }
        var output = "--- \(path)\toriginal\n+++ \(path)\tmodified\n"
        var index = 0
        while index < changed.count {
            let first = max(0, changed[index] - context)
            var last = min(rows.count - 1, changed[index] + context)
            while index + 1 < changed.count && changed[index + 1] - context <= last + 1 {
                index += 1
                last = min(rows.count - 1, changed[index] + context)
            }
            let hunk = rows[first...last]
            let oldCount = hunk.filter { $0.kind != "+" }.count
            let newCount = hunk.filter { $0.kind != "-" }.count
            let oldStart = hunk.first.map { $0.old + (oldCount == 0 ? 0 : 1) } ?? 0
            let newStart = hunk.first.map { $0.new + (newCount == 0 ? 0 : 1) } ?? 0
            output += "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n"
            for row in hunk { output += "\(row.kind)\(row.text)\n" }
            index += 1
        }
        return output
    }
}

/// A shell-style glob: `*` matches within one path component, `**` across components,
/// `?` one character, `[abc]`/`[a-z]`/`[!a]` a character class.
///
/// A pattern with no `/` matches any single component (`*.pem` catches `a/b/key.pem`);
/// one with a `/` matches the whole relative path (`**/.git/**`).
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let tokens: [Character]
    private let matchesComponents: Bool
    /// ASCII patterns with only `*` and `?` (the common case: `*.pem`, `.env*`) match on bytes without allocating.
    private let simpleBytes: [UInt8]?
    /// The longest literal run of the pattern: a subject without it cannot match, which rules out most
    /// paths for `**/.git/**` before the general matcher allocates anything.
    private let requiredLiteral: [UInt8]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.tokens = Array(pattern)
        self.matchesComponents = !pattern.contains("/")
        let bytes = Array(pattern.utf8)
        let isSimple = bytes.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "[") } && !pattern.contains("**")
        self.simpleBytes = isSimple ? bytes : nil
        var longest: ArraySlice<UInt8> = []
        for run in bytes.split(whereSeparator: { [UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "[")].contains($0) })
        where !run.contains(UInt8(ascii: "]")) {
            // Slashes next to `**` may match nothing ("**/.git" matches ".git"), so they are not required.
            let literal = run.drop { $0 == UInt8(ascii: "/") }.reversed().drop { $0 == UInt8(ascii: "/") }.reversed()
            if literal.count > longest.count { longest = ArraySlice(literal) }
        }
        self.requiredLiteral = Array(longest)
    }

    private static func contains(_ subject: some Collection<UInt8>, _ literal: [UInt8]) -> Bool {
        guard let first = literal.first else { return true }
        let bytes = Array(subject)
        guard bytes.count >= literal.count else { return false }
        for index in 0...(bytes.count - literal.count) where bytes[index] == first {
            if bytes[index..<(index + literal.count)].elementsEqual(literal) { return true }
        }
        return false
    }

    public var description: String { pattern }

    /// Matches a path relative to some base, written with `/` separators.
    public func matches(path: String) -> Bool {
        if matchesComponents {
            if let simpleBytes {
                var path = path
                return path.withUTF8 { bytes in
                    var start = 0
                    for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "/") {
                        if index > start && Self.simpleMatch(simpleBytes, UnsafeBufferPointer(rebasing: bytes[start..<index])) {
                            return true
                        }
                        start = index + 1
                    }
                    return false
                }
            }
            guard Self.contains(path.utf8, requiredLiteral) else { return false }
            return path.split(separator: "/").contains { matches(Array($0)) }
        }
        let trimmed = path.hasPrefix("/") ? String(path.dropFirst()) : path
        return matches(name: trimmed)
    }

    /// Matches one name (a tool name, a file name) against the whole pattern.
    public func matches(name: String) -> Bool {
        if let simpleBytes {
            var name = name
            return name.withUTF8 { Self.simpleMatch(simpleBytes, $0) }
        }
        guard Self.contains(name.utf8, requiredLiteral) else { return false }
        return matches(Array(name))
    }

    /// Iterative `*`/`?` matching with one backtrack point: linear in practice, no allocation.
    /// `*` and `?` never match `/`; `?` matches one whole UTF-8 character.
    private static func simpleMatch(_ pattern: [UInt8], _ subject: UnsafeBufferPointer<UInt8>) -> Bool {
        func nextCharacter(_ index: Int) -> Int {
            var next = index + 1
            while next < subject.count && subject[next] & 0xC0 == 0x80 { next += 1 }
            return next
        }
        var p = 0
        var i = 0
        var starP = -1
        var starI = 0
        while i < subject.count {
            if p < pattern.count && pattern[p] == UInt8(ascii: "*") {
                starP = p
                starI = i
                p += 1
            } else if p < pattern.count && pattern[p] == UInt8(ascii: "?") && subject[i] != UInt8(ascii: "/") {
                p += 1
                i = nextCharacter(i)
            } else if p < pattern.count && pattern[p] == subject[i] {
                p += 1
                i += 1
            } else if starP >= 0 && subject[starI] != UInt8(ascii: "/") {
                starI = nextCharacter(starI)
                p = starP + 1
                i = starI
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }

    private func matches(_ subject: [Character]) -> Bool {
        // Memoized failures keep hostile patterns such as "*a*a*a*a*b" linear-ish instead of exponential.
        var failed = Set<Int>()
        return match(0, 0, subject, &failed)
    }

    private func match(_ p: Int, _ s: Int, _ subject: [Character], _ failed: inout Set<Int>) -> Bool {
        let key = p &* (subject.count + 1) &+ s
        if failed.contains(key) { return false }
        var p = p
        var s = s
        while p < tokens.count {
            let token = tokens[p]
            if token == "*" {
                let isDouble = p + 1 < tokens.count && tokens[p + 1] == "*"
                let next = p + (isDouble ? 2 : 1)
                // "**/" may match no directories at all.
                if isDouble && next < tokens.count && tokens[next] == "/" {
                    if match(next + 1, s, subject, &failed) { return true }
                }
                var i = s
                while true {
                    if match(next, i, subject, &failed) { return true }
                    if i >= subject.count { break }
                    if !isDouble && subject[i] == "/" { break }
                    i += 1
                }
                failed.insert(key)
                return false
            }
            guard s < subject.count else {
                failed.insert(key)
                return false
            }
            let c = subject[s]
            if token == "?" {
                if c == "/" { failed.insert(key); return false }
                p += 1; s += 1
                continue
            }
            if token == "[", let (matched, end) = matchClass(at: p, c) {
                if !matched || c == "/" { failed.insert(key); return false }
                p = end; s += 1
                continue
            }
            if token != c {
                failed.insert(key)
                return false
            }
            p += 1; s += 1
        }
        if s == subject.count { return true }
        failed.insert(key)
        return false
    }

    /// - Returns: whether `c` is in the class that starts at `start`, and the index after its `]`; nil when unterminated.
    private func matchClass(at start: Int, _ c: Character) -> (Bool, Int)? {
        var i = start + 1
        var negated = false
        if i < tokens.count && (tokens[i] == "!" || tokens[i] == "^") {
            negated = true
            i += 1
        }
        var matched = false
        var first = true
        while i < tokens.count && (tokens[i] != "]" || first) {
            first = false
            if i + 2 < tokens.count && tokens[i + 1] == "-" && tokens[i + 2] != "]" {
                if tokens[i] <= c && c <= tokens[i + 2] { matched = true }
                i += 3
            } else {
                if tokens[i] == c { matched = true }
                i += 1
            }
        }
        guard i < tokens.count else { return nil }
        return (matched != negated, i + 1)
    }
}

/// A shell-style glob: `*` matches within one path component, `**` across components,
/// `?` one character, `[abc]`/`[a-z]`/`[!a]` a character class.
///
/// A pattern with no `/` matches any single component (`*.pem` catches `a/b/key.pem`);
/// one with a `/` matches the whole relative path (`**/.git/**`).
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let tokens: [Character]
    private let matchesComponents: Bool

    public init(_ pattern: String) {
        self.pattern = pattern
        self.tokens = Array(pattern)
        self.matchesComponents = !pattern.contains("/")
    }

    public var description: String { pattern }

    /// Matches a path relative to some base, written with `/` separators.
    public func matches(path: String) -> Bool {
        if matchesComponents {
            return path.split(separator: "/").contains { matches(Array($0)) }
        }
        let trimmed = path.hasPrefix("/") ? String(path.dropFirst()) : path
        return matches(Array(trimmed))
    }

    /// Matches one name (a tool name, a file name) against the whole pattern.
    public func matches(name: String) -> Bool {
        matches(Array(name))
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

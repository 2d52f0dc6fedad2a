import FathomCore

/// Which browser origins may call: a defence against DNS rebinding, where a web page on a hostile
/// name that resolves to 127.0.0.1 would otherwise reach a server on loopback.
///
/// Requests without an `Origin` header come from non-browser clients and are allowed; the bearer
/// token, if configured, still applies to them.
struct OriginPolicy: Sendable {
    private let patterns: [GlobPattern]

    init(allowed: [String]) {
        patterns = allowed.map { GlobPattern($0.lowercased()) }
    }

    func allows(_ origin: String?) -> Bool {
        guard let origin else { return true }
        if Self.isLoopback(origin) { return true }
        let lowered = origin.lowercased()
        return patterns.contains { $0.matches(name: lowered) }
    }

    /// `http(s)://localhost`, `127.x.x.x` or `[::1]`, any port. The host must end where the authority
    /// ends, so `http://localhost.evil.example` is not loopback.
    static func isLoopback(_ origin: String) -> Bool {
        let lowered = origin.lowercased()
        let authority: Substring
        if lowered.hasPrefix("http://") {
            authority = lowered.dropFirst(7)
        } else if lowered.hasPrefix("https://") {
            authority = lowered.dropFirst(8)
        } else {
            return false
        }
        let host: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return false }
            host = authority[authority.startIndex...close]
            let rest = authority[authority.index(after: close)...]
            guard rest.isEmpty || Self.isPort(rest) else { return false }
            return host == "[::1]"
        }
        let colon = authority.firstIndex(of: ":") ?? authority.endIndex
        host = authority[..<colon]
        guard colon == authority.endIndex || Self.isPort(authority[colon...]) else { return false }
        if host == "localhost" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    private static func isPort(_ text: Substring) -> Bool {
        text.first == ":" && text.count > 1 && text.count <= 6 && text.dropFirst().allSatisfy(\.isASCII) && UInt16(text.dropFirst()) != nil
    }
}

import Foundation

/// Masks secrets in text and JSON before they reach an LLM, a log, a report or an audit row.
///
/// Two nets: keys whose names say "secret" (password, token, api_key, …) have their whole value masked,
/// and values that look like credentials (JWTs, bearer tokens, private keys, URLs with passwords,
/// cloud keys) are masked wherever they appear.
public struct Redactor: Sendable {
    public static let mask = "[REDACTED]"

    private static let secretKeyFragments: [[UInt8]] = [
        "password", "passwd", "passphrase", "pwd", "secret", "token", "apikey", "api_key", "api-key", "authorization",
        "credential", "private_key", "private-key", "privatekey", "access_key", "access-key", "accesskey",
        "client_secret", "cookie", "session_key",
    ].map { Array($0.utf8) }

    private struct Rule: @unchecked Sendable {
        // NSRegularExpression is immutable once built and safe to share across threads.
        let regex: NSRegularExpression
        let template: String
    }

    // Every quantifier is bounded or cannot overlap its neighbour, so matching stays linear: an unbounded
    // `[a-z]*(?:password)[a-z]*` took 13 s on 3 KB of "token.token.…".
    private static let rules: [Rule] = {
        let specs: [(String, String)] = [
            // PEM and PGP private keys, whole block; a block cut short is masked to its end.
            (#"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,10}-----(?:[^-]|-(?!----END))*+(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,10}-----)?"#, mask),
            // JSON Web Tokens (also Kubernetes service-account tokens).
            (#"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b"#, mask),
            // Authorization headers.
            (#"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"#, "$1 " + mask),
            // user:password@ in connection strings and URLs (the password may itself hold '@').
            (#"\b([a-zA-Z][a-zA-Z0-9+.-]{0,31}://[^:/@\s]{1,256}:)[^\s/]{1,256}@"#, "$1" + mask + "@"),
            // AWS access key ids, GitHub, Slack and OpenAI-style tokens.
            (#"\b(AKIA|ASIA)[0-9A-Z]{16}\b"#, mask),
            (#"\bgh[pousr]_[A-Za-z0-9]{30,}\b"#, mask),
            (#"\bxox[abprs]-[A-Za-z0-9-]{10,}\b"#, mask),
            (#"\bsk-[A-Za-z0-9_-]{20,}\b"#, mask),
        ]
        return specs.compactMap { pattern, template in
            (try? NSRegularExpression(pattern: pattern)).map { Rule(regex: $0, template: template) }
        }
    }()

    public init() {}

    /// Every rule needs one of these (lower-cased) fragments to match, so text with none of them skips the
    /// regular expressions, which cost far more than this scan.
    private static let triggers: [[UInt8]] = [
        "-----begin", "eyj", "bearer", "basic", "://", "password", "passwd", "passphrase", "pwd", "secret", "token",
        "api_key", "api-key", "apikey", "access_key", "access-key", "accesskey", "private_key", "private-key",
        "privatekey", "authorization", "credential", "cookie", "session_key", "akia", "asia", "gh", "xox", "sk-",
    ].map { Array($0.utf8) }

    /// Whether any trigger occurs in `text`, ignoring ASCII case. Byte-level, because Foundation's
    /// `String.contains` bridged through NSString and cost more than the audit insert.
    static func mayHoldSecrets(_ text: String) -> Bool {
        containsAny(text, triggers)
    }

    private static func containsAny(_ text: String, _ fragments: [[UInt8]]) -> Bool {
        let lowered = text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        return fragments.contains { fragment in
            guard lowered.count >= fragment.count, let first = fragment.first else { return false }
            var start = 0
            while let index = lowered[start...].firstIndex(of: first), index + fragment.count <= lowered.count {
                if lowered[index..<(index + fragment.count)].elementsEqual(fragment) { return true }
                start = index + 1
            }
            return false
        }
    }

    /// `key=value`, `key: value` and `"key": "value"`: the key is a bounded token, checked for a secret
    /// word in code rather than inside the pattern, which is what kept the old pattern from being linear.
    private static let assignment = try? NSRegularExpression(
        pattern: #"([A-Za-z0-9_.-]{1,128})("?\s{0,8}[=:]\s{0,8})("[^"]{0,8192}"|'[^']{0,8192}'|[^\s,;&"'}\]]{1,8192})"#)

    private static func redactAssignments(_ text: String) -> String {
        guard let assignment else { return text }
        let whole = NSRange(text.startIndex..., in: text)
        var result = ""
        var cursor = text.startIndex
        for match in assignment.matches(in: text, range: whole) {
            guard let key = Range(match.range(at: 1), in: text), let value = Range(match.range(at: 3), in: text),
                isSecretKey(String(text[key]))
            else { continue }
            result += text[cursor..<value.lowerBound]
            let quote = text[value].first.flatMap { $0 == "\"" || $0 == "'" ? String($0) : nil } ?? ""
            result += quote + mask + quote
            cursor = value.upperBound
        }
        result += text[cursor...]
        return result
    }

    /// - Returns: `text` with every secret-looking value replaced by ``mask``.
    public func redact(_ text: String) -> String {
        guard !text.isEmpty, Self.mayHoldSecrets(text) else { return text }
        var result = text
        for rule in Self.rules {
            let range = NSRange(result.startIndex..., in: result)
            result = rule.regex.stringByReplacingMatches(in: result, range: range, withTemplate: rule.template)
        }
        // After the value patterns, so "Authorization: Bearer <token>" loses the token, not just "Bearer".
        return Self.redactAssignments(result)
    }

    /// - Returns: a copy of `value` with secret-named keys masked and every string redacted.
    public func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let string):
            return .string(redact(string))
        case .array(let items):
            return .array(items.map { redact($0) })
        case .object(let object):
            var copy: [String: JSONValue] = [:]
            for (key, member) in object {
                copy[key] = Self.isSecretKey(key) && !member.isNull ? .string(Self.mask) : redact(member)
            }
            return .object(copy)
        default:
            return value
        }
    }

    /// Whether a key's name says its value is a secret.
    public static func isSecretKey(_ key: String) -> Bool {
        containsAny(key, secretKeyFragments)
    }
}

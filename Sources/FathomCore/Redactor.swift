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
        /// The rule can only match text holding one of these (lower-cased) fragments, so other text skips
        /// the regular expression, which costs far more than the scan.
        let triggers: [[UInt8]]
    }

    // Every quantifier is bounded or cannot overlap its neighbour, so matching stays linear: an unbounded
    // `[a-z]*(?:password)[a-z]*` took 13 s on 3 KB of "token.token.…".
    private static let rules: [Rule] = {
        let specs: [(String, String, [String])] = [
            // PEM and PGP private keys, whole block; a block cut short is masked to its end.
            (#"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,10}-----(?:[^-]|-(?!----END))*+(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,10}-----)?"#, mask, ["-----begin"]),
            // JSON Web Tokens (also Kubernetes service-account tokens).
            (#"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b"#, mask, ["eyj"]),
            // Authorization headers.
            (#"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"#, "$1 " + mask, ["bearer", "basic"]),
            // user:password@ in connection strings and URLs (the password may itself hold '@').
            (#"\b([a-zA-Z][a-zA-Z0-9+.-]{0,31}://[^:/@\s]{1,256}:)[^\s/]{1,256}@"#, "$1" + mask + "@", ["://"]),
            // AWS access key ids, GitHub, Slack and OpenAI-style tokens.
            (#"\b(AKIA|ASIA)[0-9A-Z]{16}\b"#, mask, ["akia", "asia"]),
            (#"\bgh[pousr]_[A-Za-z0-9]{30,}\b"#, mask, ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]),
            (#"\bxox[abprs]-[A-Za-z0-9-]{10,}\b"#, mask, ["xox"]),
            (#"\bsk-[A-Za-z0-9_-]{20,}\b"#, mask, ["sk-"]),
        ]
        return specs.compactMap { pattern, template, triggers in
            (try? NSRegularExpression(pattern: pattern)).map {
                Rule(regex: $0, template: template, triggers: triggers.map { Array($0.utf8) })
            }
        }
    }()

    public init() {}

    /// Every rule needs one of these fragments: text with none of them is returned as it is.
    private static let triggers: [[UInt8]] = rules.flatMap(\.triggers) + secretKeyFragments

    /// Whether any trigger occurs in `text`, ignoring ASCII case. Byte-level, because Foundation's
    /// `String.contains` bridged through NSString and cost more than the audit insert.
    static func mayHoldSecrets(_ text: String) -> Bool {
        containsAny(text, triggers)
    }

    private static func containsAny(_ text: String, _ fragments: [[UInt8]]) -> Bool {
        containsAny(lowered(text), fragments)
    }

    private static func lowered(_ text: String) -> [UInt8] {
        text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }

    private static func containsAny(_ lowered: [UInt8], _ fragments: [[UInt8]]) -> Bool {
        fragments.contains { fragment in
            guard lowered.count >= fragment.count, let first = fragment.first else { return false }
            var start = 0
            while let index = lowered[start...].firstIndex(of: first), index + fragment.count <= lowered.count {
                if lowered[index..<(index + fragment.count)].elementsEqual(fragment) { return true }
                start = index + 1
            }
            return false
        }
    }

    /// `key=value`, `key: value` and `"key": "value"` where the key (a run of letters, digits, `_`, `.`
    /// and `-`, at most 128) holds a secret word: the value (quoted, or up to white space, `,;&"'}]`) is
    /// masked. A scan over bytes rather than a regular expression: ICU took most of a log read's time.
    private static func redactAssignments(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let count = bytes.count
        func isKey(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
                true
            default: false
            }
        }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        func skipSpaces(_ index: inout Int) {
            var skipped = 0
            while index < count, skipped < 8, isSpace(bytes[index]) {
                index += 1
                skipped += 1
            }
        }
        let stops: Set<UInt8> = Set(",;&\"'}]".utf8)
        var out: [UInt8] = []
        var copied = 0
        var index = 0
        while index < count {
            guard isKey(bytes[index]), index == 0 || !isKey(bytes[index - 1]) else {
                index += 1
                continue
            }
            var end = index
            while end < count, isKey(bytes[end]) { end += 1 }
            defer { index = max(index + 1, end) }
            guard end - index <= 128, containsAny(bytes[index..<end].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, secretKeyFragments) else {
                continue
            }
            var cursor = end
            if cursor < count, bytes[cursor] == UInt8(ascii: "\"") { cursor += 1 }
            skipSpaces(&cursor)
            guard cursor < count, bytes[cursor] == UInt8(ascii: "=") || bytes[cursor] == UInt8(ascii: ":") else { continue }
            cursor += 1
            skipSpaces(&cursor)
            // A value a pattern masked already ("TOKEN=[REDACTED]") stays as it is, not "[REDACTED]]".
            guard cursor < count, !bytes[cursor...].starts(with: mask.utf8) else { continue }
            let valueStart: Int
            let valueEnd: Int
            let quote = bytes[cursor]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                guard let close = bytes[(cursor + 1)..<min(count, cursor + 8194)].firstIndex(of: quote) else { continue }
                (valueStart, valueEnd) = (cursor + 1, close)
            } else {
                var stop = cursor
                while stop < count, stop - cursor < 8192, !isSpace(bytes[stop]), !stops.contains(bytes[stop]) { stop += 1 }
                guard stop > cursor else { continue }
                (valueStart, valueEnd) = (cursor, stop)
            }
            out += bytes[copied..<valueStart]
            out += Array(mask.utf8)
            copied = valueEnd
            end = valueEnd
        }
        guard copied > 0 else { return text }
        out += bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }

    /// - Returns: `text` with every secret-looking value replaced by ``mask``.
    public func redact(_ text: String) -> String {
        guard !text.isEmpty else { return text }
        let lowered = Self.lowered(text)
        var result = text
        for rule in Self.rules where Self.containsAny(lowered, rule.triggers) {
            let range = NSRange(result.startIndex..., in: result)
            result = rule.regex.stringByReplacingMatches(in: result, range: range, withTemplate: rule.template)
        }
        // After the value patterns, so "Authorization: Bearer <token>" loses the token, not just "Bearer".
        return Self.containsAny(lowered, Self.secretKeyFragments) ? Self.redactAssignments(result) : result
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

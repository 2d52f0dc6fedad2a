import Foundation
import Yams

/// Reads `http.tokens`: a list of `{client, token | token_env | token_file}`.
///
/// Secrets are best kept out of the config file, so a token can name an environment variable or a
/// file (a Kubernetes secret mount) instead. A missing variable or file is an error at start-up,
/// not a server that silently accepts nobody.
struct BearerTokens {
    let environment: [String: String]
    let home: String

    /// Guessable tokens are refused: 16 characters is about 80 bits from a password generator.
    static let minimumLength = 16

    func parse(_ node: Node, file: String) throws -> [FathomConfig.BearerToken] {
        guard case .sequence(let items) = node else {
            throw ConfigError.invalidValue(
                location: Self.location(node, file), key: "http.tokens",
                expected: "a list of {client, token | token_env | token_file}", got: "something else")
        }
        return try items.map { item in
            guard case .mapping(let fields) = item else {
                throw ConfigError.invalidValue(
                    location: Self.location(item, file), key: "http.tokens",
                    expected: "a mapping with client and one of token, token_env, token_file", got: "something else")
            }
            var client: String?
            var secret: String?
            var sources = 0
            for (keyNode, valueNode) in fields {
                let field = keyNode.scalar?.string ?? ""
                let value = ConfigValue(node: valueNode, file: file, key: "http.tokens.\(field)")
                switch field {
                case "client": client = try value.string()
                case "token":
                    sources += 1
                    secret = try value.string()
                case "token_env":
                    sources += 1
                    let name = try value.string()
                    guard let text = environment[name], !text.isEmpty else {
                        throw ConfigError.invalidValue(
                            location: value.location, key: value.key, expected: "the name of a set environment variable",
                            got: "'\(name)', which is not set")
                    }
                    secret = text
                case "token_file":
                    sources += 1
                    secret = try Self.readSecret(ConfigLoader.absolute(try value.string(), from: home), value: value)
                default:
                    throw ConfigError.unknownKey(
                        location: Self.location(keyNode, file), key: field, expected: ["client", "token", "token_env", "token_file"])
                }
            }
            guard let client, let secret, sources == 1 else {
                throw ConfigError.invalidValue(
                    location: Self.location(item, file), key: "http.tokens",
                    expected: "a client and exactly one of token, token_env, token_file", got: "\(sources) token sources")
            }
            return FathomConfig.BearerToken(
                client: client,
                secret: try Self.checked(secret, at: ConfigValue(node: item, file: file, key: "http.tokens.\(client)")))
        }
    }

    static func checked(_ secret: String, at value: ConfigValue) throws -> String {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count >= minimumLength, trimmed.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw ConfigError.invalidValue(
                location: value.location, key: value.key,
                expected: "a token of at least \(minimumLength) printable ASCII characters without spaces",
                got: "\(trimmed.count) characters")
        }
        return trimmed
    }

    static func readSecret(_ path: String, value: ConfigValue, limit: Int = 4096) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ConfigError.unreadable(file: path, reason: "the file for \(value.key) is missing or unreadable")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: limit + 1)) ?? Data()
        guard data.count <= limit, let text = String(data: data, encoding: .utf8) else {
            throw ConfigError.unreadable(file: path, reason: "the file for \(value.key) must be UTF-8 text of at most \(limit) bytes")
        }
        return text
    }

    static func location(_ node: Node, _ file: String) -> String {
        "\(file):\(node.mark?.line ?? 0):\(node.mark?.column ?? 0)"
    }
}

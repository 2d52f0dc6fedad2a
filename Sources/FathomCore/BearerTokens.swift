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
                location: ConfigMapping.location(node, file), key: "http.tokens",
                expected: "a list of {client, token | token_env | token_file}", got: "something else")
        }
        return try items.map { item in
            let fields = try ConfigMapping.fields(
                item, file: file, key: "http.tokens", known: ["client", "token", "token_env", "token_file"],
                expected: "a mapping with client and one of token, token_env, token_file")
            guard let client = try fields["client"]?.string() else {
                throw ConfigError.invalidValue(
                    location: ConfigMapping.location(item, file), key: "http.tokens", expected: "a client name", got: "none")
            }
            let secret = try ConfigMapping.secret(
                fields, prefix: "token", at: item, file: file, key: "http.tokens.\(client)", environment: environment, home: home)
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
}

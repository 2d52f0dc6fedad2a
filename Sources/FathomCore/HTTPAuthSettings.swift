import Foundation
import Yams

/// Reads `http.jwt` and `http.oauth`.
///
/// ```yaml
/// http:
///   jwt:
///     issuer: https://auth.example.com/
///     audience: fathom
///     jwks_file: /etc/fathom/jwks.json      # or hs256_secret_env / hs256_secret_file
///     client_claim: sub
///     leeway_seconds: 60
///   oauth:
///     resource: https://fathom.example.com/mcp
///     authorization_servers: [https://auth.example.com/]
///     scopes: [fathom]
/// ```
struct HTTPAuthSettings {
    let environment: [String: String]
    let home: String

    func jwt(_ node: Node, file: String) throws -> FathomConfig.JWTSettings {
        let known = ["issuer", "audience", "jwks_file", "hs256_secret_env", "hs256_secret_file", "client_claim", "leeway_seconds"]
        let fields = try ConfigMapping.fields(
            node, file: file, key: "http.jwt", known: known, expected: "a mapping of \(known.joined(separator: ", "))")
        guard let issuer = try fields["issuer"]?.string(), let audience = try fields["audience"]?.string() else {
            throw ConfigError.invalidValue(
                location: ConfigMapping.location(node, file), key: "http.jwt", expected: "issuer and audience", got: "neither or one")
        }
        let sources = ["jwks_file", "hs256_secret_env", "hs256_secret_file"].filter { fields[$0] != nil }
        guard sources.count == 1, let source = sources.first, let value = fields[source] else {
            throw ConfigError.invalidValue(
                location: ConfigMapping.location(node, file), key: "http.jwt",
                expected: "exactly one of jwks_file, hs256_secret_env, hs256_secret_file", got: "\(sources.count)")
        }
        let key: FathomConfig.JWTSettings.Key
        switch source {
        case "jwks_file":
            let text = try ConfigMapping.fileSecret(value, home: home, limit: 1 << 20)
            guard (try? JSONParser.parse(Data(text.utf8)))?["keys"]?.arrayValue != nil else {
                throw ConfigError.invalidValue(
                    location: value.location, key: value.key, expected: "a JSON Web Key Set ({\"keys\": [...]})", got: "other content")
            }
            key = .jwks(text)
        case "hs256_secret_env":
            key = .hs256(try Self.strongSecret(try ConfigMapping.environmentSecret(value, environment), value))
        default:
            let secret = try ConfigMapping.fileSecret(value, home: home)
            key = .hs256(try Self.strongSecret(secret.trimmingCharacters(in: .whitespacesAndNewlines), value))
        }
        var settings = FathomConfig.JWTSettings(issuer: issuer, audience: audience, key: key)
        if let claim = fields["client_claim"] { settings.clientClaim = try claim.string() }
        if let leeway = fields["leeway_seconds"] { settings.leewaySeconds = try leeway.int(in: 0...3600) }
        return settings
    }

    func oauth(_ node: Node, file: String) throws -> FathomConfig.OAuthSettings {
        let known = ["resource", "authorization_servers", "scopes"]
        let fields = try ConfigMapping.fields(
            node, file: file, key: "http.oauth", known: known, expected: "a mapping of \(known.joined(separator: ", "))")
        guard let resource = try fields["resource"]?.string(), let servers = try fields["authorization_servers"]?.strings(),
            !servers.isEmpty
        else {
            throw ConfigError.invalidValue(
                location: ConfigMapping.location(node, file), key: "http.oauth",
                expected: "resource and a non-empty authorization_servers list", got: "something missing")
        }
        guard resource.hasPrefix("https://") || resource.hasPrefix("http://") else {
            throw ConfigError.invalidValue(
                location: fields["resource"]?.location ?? file, key: "http.oauth.resource", expected: "an http(s) URL", got: "'\(resource.prefix(80))'")
        }
        var settings = FathomConfig.OAuthSettings(resource: resource, authorizationServers: servers)
        if let scopes = fields["scopes"] { settings.scopes = try scopes.strings() }
        return settings
    }

    /// An HS256 secret shorter than 32 bytes can be brute-forced from one token.
    private static func strongSecret(_ secret: String, _ value: ConfigValue) throws -> String {
        guard secret.utf8.count >= 32 else {
            throw ConfigError.invalidValue(
                location: value.location, key: value.key, expected: "an HS256 secret of at least 32 bytes", got: "\(secret.utf8.count) bytes")
        }
        return secret
    }
}

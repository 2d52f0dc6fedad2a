import FathomCore
import Foundation
import Testing

@Suite struct HTTPConfigTests {
    func home(_ files: [String: String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-http-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (path, content) in files {
            try content.write(toFile: directory + "/" + path, atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test func defaultsAreLoopbackWithoutAuth() throws {
        let config = try ConfigLoader(environment: [:]).load(home: try home([:]))
        #expect(config.http.host == "127.0.0.1" && config.http.isLoopback)
        #expect(config.http.port == 8765 && config.http.tokens.isEmpty && config.http.rateLimit == 0)
    }

    @Test func tokensFromLiteralEnvironmentAndFile() throws {
        let dir = try home(["ci.token": "file-token-0123456789\n"])
        try """
            http:
              host: 0.0.0.0
              port: 9000
              allowed_origins: ["https://*.example.org"]
              tokens:
                - client: literal
                  token: literal-token-0123456789
                - client: ops
                  token_env: OPS_TOKEN
                - client: ci
                  token_file: ci.token
            """.write(toFile: dir + "/fathom.yaml", atomically: true, encoding: .utf8)
        let config = try ConfigLoader(environment: ["OPS_TOKEN": "env-token-0123456789ab", "FATHOM_HTTP_PORT": "9100"])
            .load(home: dir)
        #expect(!config.http.isLoopback && config.http.port == 9100)
        #expect(config.http.allowedOrigins == ["https://*.example.org"])
        #expect(config.http.tokens.map(\.client) == ["literal", "ops", "ci"])
        #expect(config.http.tokens.map(\.secret) == ["literal-token-0123456789", "env-token-0123456789ab", "file-token-0123456789"])
        #expect(!"\(config.http.tokens[0])".contains("literal-token"), "a token never prints its secret")
    }

    @Test func tokenProblemsAreLocatedErrors() throws {
        let cases: [(String, [String: String], String)] = [
            ("http:\n  tokens:\n    - client: a\n      token_env: NOPE\n", [:], "not set"),
            ("http:\n  tokens:\n    - client: a\n      token_file: /no/such/file\n", [:], "missing or unreadable"),
            ("http:\n  tokens:\n    - client: a\n      token: short\n", [:], "at least 16"),
            ("http:\n  tokens:\n    - client: a\n      token: aaaaaaaaaaaaaaaaaaaa\n      token_env: X\n", ["X": "bbbbbbbbbbbbbbbbbbbb"], "exactly one"),
            ("http:\n  tokens:\n    - client: a\n      secret: aaaaaaaaaaaaaaaaaaaa\n", [:], "unknown key 'secret'"),
            ("http:\n  tokens: oops\n", [:], "a list of"),
            ("http:\n  port: 70000\n", [:], "0 to 65535"),
            ("http:\n  hots: 1.2.3.4\n", [:], "unknown key 'hots'"),
        ]
        for (yaml, environment, expected) in cases {
            let dir = try home(["fathom.yaml": yaml])
            #expect(throws: ConfigError.self) { try ConfigLoader(environment: environment).load(home: dir) }
            do {
                _ = try ConfigLoader(environment: environment).load(home: dir)
            } catch {
                #expect("\(error)".contains(expected), "\(yaml) gave: \(error)")
                if !expected.contains("missing") { #expect("\(error)".contains("fathom.yaml:"), "\(error)") }
            }
        }
    }

    @Test func environmentTokenIsChecked() throws {
        #expect(throws: ConfigError.self) {
            try ConfigLoader(environment: ["FATHOM_HTTP_TOKEN": "tiny"]).load(home: try home([:]))
        }
        let config = try ConfigLoader(environment: ["FATHOM_HTTP_TOKEN": "  env-token-0123456789ab\n"]).load(home: try home([:]))
        #expect(config.http.tokens == [FathomConfig.BearerToken(client: "default", secret: "env-token-0123456789ab")])
    }
}

@Suite struct HTTPAuthConfigTests {
    func load(_ yaml: String, files: [String: String] = [:], environment: [String: String] = [:]) throws -> FathomConfig {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-auth-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, content) in files { try content.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
        try yaml.write(toFile: directory + "/fathom.yaml", atomically: true, encoding: .utf8)
        return try ConfigLoader(environment: environment).load(home: directory)
    }

    @Test func jwtWithSecretFromTheEnvironment() throws {
        let config = try load(
            "http:\n  host: 0.0.0.0\n  jwt:\n    issuer: https://a/\n    audience: fathom\n    hs256_secret_env: S\n    client_claim: azp\n",
            environment: ["S": String(repeating: "k", count: 40)])
        #expect(config.http.jwt?.key == .hs256(String(repeating: "k", count: 40)))
        #expect(config.http.jwt?.clientClaim == "azp" && config.http.requiresAuth)
    }

    @Test func jwtWithAKeySetFile() throws {
        let config = try load(
            "http:\n  jwt:\n    issuer: https://a/\n    audience: fathom\n    jwks_file: jwks.json\n",
            files: ["jwks.json": #"{"keys":[]}"#])
        #expect(config.http.jwt?.key == .jwks(#"{"keys":[]}"#))
    }

    @Test func jwtProblems() throws {
        let cases: [(String, [String: String], String)] = [
            ("http:\n  jwt:\n    audience: x\n    hs256_secret_env: S\n", ["S": String(repeating: "k", count: 40)], "issuer and audience"),
            ("http:\n  jwt:\n    issuer: i\n    audience: x\n", [:], "exactly one of"),
            ("http:\n  jwt:\n    issuer: i\n    audience: x\n    hs256_secret_env: S\n", ["S": "short"], "at least 32 bytes"),
            ("http:\n  jwt:\n    issuer: i\n    audience: x\n    jwks_file: nope.json\n", [:], "missing or unreadable"),
            ("http:\n  jwt:\n    issuer: i\n    audience: x\n    hs256_secret_env: S\n    algo: x\n", ["S": String(repeating: "k", count: 40)], "unknown key 'algo'"),
            ("http:\n  oauth:\n    resource: ftp://x\n    authorization_servers: [https://a]\n", [:], "an http(s) URL"),
            ("http:\n  oauth:\n    resource: https://x\n", [:], "authorization_servers"),
        ]
        for (yaml, environment, expected) in cases {
            do {
                _ = try load(yaml, environment: environment)
                Issue.record("accepted: \(yaml)")
            } catch {
                #expect("\(error)".contains(expected), "\(yaml): \(error)")
            }
        }
    }

    @Test func jwksFileMustBeAKeySet() throws {
        #expect(throws: ConfigError.self) {
            _ = try load("http:\n  jwt:\n    issuer: i\n    audience: x\n    jwks_file: k.json\n", files: ["k.json": "[1,2]"])
        }
    }

    @Test func oauthMetadataSettings() throws {
        let config = try load("http:\n  oauth:\n    resource: https://f.example.com/mcp\n    authorization_servers: [https://a]\n    scopes: [mcp]\n")
        #expect(config.http.oauth == {
            var oauth = FathomConfig.OAuthSettings(resource: "https://f.example.com/mcp", authorizationServers: ["https://a"])
            oauth.scopes = ["mcp"]
            return oauth
        }())
    }
}

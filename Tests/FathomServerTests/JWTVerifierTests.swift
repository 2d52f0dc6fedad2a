import FathomCore
import Foundation
import JWTKit
import Testing

@testable import FathomServer

@Suite struct JWTVerifierTests {
    static let secret = "a-shared-secret-of-at-least-32-bytes!!"
    static let issuer = "https://auth.example.com/"

    func settings(_ key: FathomConfig.JWTSettings.Key) -> FathomConfig.JWTSettings {
        FathomConfig.JWTSettings(issuer: Self.issuer, audience: "fathom", key: key)
    }

    func claims(
        exp: Date = Date().addingTimeInterval(300), nbf: Date? = nil, iss: String = Self.issuer, aud: [String] = ["fathom"],
        strings: [String: String] = ["sub": "alice"]
    ) -> JWTVerifier.Claims {
        JWTVerifier.Claims(
            exp: ExpirationClaim(value: exp), nbf: nbf.map { NotBeforeClaim(value: $0) }, iss: IssuerClaim(value: iss),
            aud: AudienceClaim(value: aud), strings: strings)
    }

    func hs256(_ payload: JWTVerifier.Claims, secret: String = Self.secret) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(payload)
    }

    @Test func hs256TokensNameTheClient() async throws {
        let verifier = try await JWTVerifier(settings: settings(.hs256(Self.secret)))
        #expect(try await verifier.identity(token: try await hs256(claims())) == "alice")
        var other = settings(.hs256(Self.secret))
        other.clientClaim = "client_id"
        let byClientID = try await JWTVerifier(settings: other)
        let token = try await hs256(claims(strings: ["sub": "alice", "client_id": "ci-runner"]))
        #expect(try await byClientID.identity(token: token) == "ci-runner")
    }

    @Test func badTokensAreRefusedWithTheReason() async throws {
        let verifier = try await JWTVerifier(settings: settings(.hs256(Self.secret)))
        let cases: [(String, String)] = [
            (try await hs256(claims(), secret: "another-secret-of-at-least-32-bytes!!!"), "bad signature"),
            (try await hs256(claims(exp: Date().addingTimeInterval(-120))), "expired"),
            (try await hs256(claims(nbf: Date().addingTimeInterval(600))), "not valid yet"),
            (try await hs256(claims(iss: "https://evil.example.com/")), "issuer"),
            (try await hs256(claims(aud: ["someone-else"])), "audience"),
            (try await hs256(claims(aud: [])), "audience"),
            (try await hs256(claims(strings: [:])), "no string claim 'sub'"),
            ("not.a.jwt", "not valid"),
            ("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.", "not valid"),
            (String(repeating: "A", count: 100_000) + ".b.c", "not valid"),
        ]
        for (token, expected) in cases {
            do {
                let identity = try await verifier.identity(token: token)
                Issue.record("accepted \(token.prefix(60)) as \(identity)")
            } catch {
                #expect("\(error)".contains(expected), "\(token.prefix(60)): \(error)")
            }
        }
    }

    @Test func leewayCoversSmallClockSkew() async throws {
        let verifier = try await JWTVerifier(settings: settings(.hs256(Self.secret)))
        #expect(try await verifier.identity(token: try await hs256(claims(exp: Date().addingTimeInterval(-30)))) == "alice")
    }

    @Test func jwksKeysVerifyByKidAndOthersAreIgnored() async throws {
        let signing = ES256PrivateKey()
        let (x, y) = try #require(signing.publicKey.parameters)
        let jwks = """
            {"keys":[
              {"kty":"oct","k":"c2VjcmV0","alg":"HS256","kid":"symmetric"},
              {"kty":"RSA","use":"enc","alg":"RSA-OAEP-256","kid":"encryption","n":"AQAB","e":"AQAB"},
              {"kty":"EC","crv":"P-256","alg":"ES256","use":"sig","kid":"k1","x":"\(x)","y":"\(y)"}
            ]}
            """
        let verifier = try await JWTVerifier(settings: settings(.jwks(jwks)))
        let signer = JWTKeyCollection()
        await signer.add(ecdsa: signing, kid: "k1")
        #expect(try await verifier.identity(token: try await signer.sign(claims(), kid: "k1")) == "alice")

        let stranger = JWTKeyCollection()
        await stranger.add(ecdsa: ES256PrivateKey(), kid: "k1")
        await #expect(throws: JWTVerifier.Failure.self) { try await verifier.identity(token: try await stranger.sign(claims(), kid: "k1")) }

        // Algorithm confusion: an HS256 token keyed with the public key's text must not pass.
        let confused = try await hs256(claims(), secret: "\(x)\(y)")
        await #expect(throws: JWTVerifier.Failure.self) { try await verifier.identity(token: confused) }
    }

    @Test func aKeySetWithoutSigningKeysIsAStartupError() async {
        await #expect(throws: JWTVerifier.Failure.self) {
            _ = try await JWTVerifier(settings: settings(.jwks(#"{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}"#)))
        }
    }

    @Test func protectedResourceMetadataURL() {
        let root = FathomConfig.OAuthSettings(resource: "https://fathom.example.com", authorizationServers: ["https://a"])
        #expect(ProtectedResourceMetadata.url(for: root) == "https://fathom.example.com/.well-known/oauth-protected-resource")
        let path = FathomConfig.OAuthSettings(resource: "https://fathom.example.com:8443/mcp", authorizationServers: ["https://a"])
        #expect(ProtectedResourceMetadata.url(for: path) == "https://fathom.example.com:8443/.well-known/oauth-protected-resource/mcp")
    }
}

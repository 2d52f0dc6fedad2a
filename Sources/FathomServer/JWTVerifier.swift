import FathomCore
import Foundation
import JWTKit

/// Verifies bearer JWTs from the configured identity provider with jwt-kit, and names the client.
///
/// The signature is checked with the configured key's own algorithm (so a token cannot pick a weaker
/// one), then `exp` and `nbf` with the configured leeway, then `iss` and `aud`. The client identity is
/// the value of `http.jwt.client_claim` (default `sub`).
struct JWTVerifier: Sendable {
    let settings: FathomConfig.JWTSettings
    private let keys: JWTKeyCollection

    enum Failure: Error, CustomStringConvertible {
        case keys(String)
        case invalid(String)
        var description: String {
            switch self {
            case .keys(let reason): "http.jwt: the keys cannot be used: \(reason)"
            case .invalid(let reason): reason
            }
        }
    }

    init(settings: FathomConfig.JWTSettings) async throws {
        self.settings = settings
        keys = JWTKeyCollection()
        switch settings.key {
        case .hs256(let secret):
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        case .jwks(let json):
            do {
                try await keys.add(jwksJSON: try Self.signingKeys(json))
            } catch {
                throw Failure.keys("\(error)")
            }
        }
    }

    /// Identity providers publish encryption keys and symmetric keys beside the signing keys; jwt-kit
    /// refuses a whole set that contains one, so only signature keys of a supported type are kept.
    static func signingKeys(_ json: String) throws -> String {
        guard case .object(var set) = try JSONParser.parse(Data(json.utf8)), let keys = set["keys"]?.arrayValue else {
            throw Failure.keys("not a JSON Web Key Set")
        }
        let supported: Set<String> = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]
        let kept = keys.filter { key in
            guard let type = key["kty"]?.stringValue, ["RSA", "EC", "OKP"].contains(type) else { return false }
            if let use = key["use"]?.stringValue, use != "sig" { return false }
            if let algorithm = key["alg"]?.stringValue, !supported.contains(algorithm) { return false }
            return true
        }
        guard !kept.isEmpty else { throw Failure.keys("the set has no signing key of type RSA, EC or OKP") }
        set["keys"] = .array(kept)
        return String(decoding: JSONWriter.write(.object(set)), as: UTF8.self)
    }

    /// - Returns: the client identity the token names.
    func identity(token: String, now: Date = Date()) async throws -> String {
        let claims: Claims
        do {
            claims = try await keys.verify(token, as: Claims.self)
        } catch {
            throw Failure.invalid("The JWT is not valid: \(Self.reason(error)).")
        }
        let leeway = TimeInterval(settings.leewaySeconds)
        guard let expiry = claims.exp else { throw Failure.invalid("The JWT has no exp claim.") }
        guard expiry.value.addingTimeInterval(leeway) > now else { throw Failure.invalid("The JWT has expired.") }
        if let notBefore = claims.nbf, notBefore.value.addingTimeInterval(-leeway) > now {
            throw Failure.invalid("The JWT is not valid yet (nbf).")
        }
        guard claims.iss?.value == settings.issuer else { throw Failure.invalid("The JWT's issuer is not the configured one.") }
        guard claims.aud?.value.contains(settings.audience) == true else {
            throw Failure.invalid("The JWT's audience does not include '\(settings.audience)'.")
        }
        guard let identity = claims.strings[settings.clientClaim], !identity.isEmpty else {
            throw Failure.invalid("The JWT has no string claim '\(settings.clientClaim)' to name the client.")
        }
        return String(identity.prefix(200))
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? JWTError {
            switch error.errorType {
            case .signatureVerificationFailed: return "bad signature"
            case .malformedToken: return "malformed token"
            default: return "\(error.errorType)"
            }
        }
        return "malformed token or claims"
    }

    /// The registered claims Fathom checks, and every string claim (for the client claim).
    struct Claims: JWTPayload {
        var exp: ExpirationClaim?
        var nbf: NotBeforeClaim?
        var iss: IssuerClaim?
        var aud: AudienceClaim?
        var strings: [String: String] = [:]

        init(exp: ExpirationClaim?, nbf: NotBeforeClaim? = nil, iss: IssuerClaim?, aud: AudienceClaim?, strings: [String: String]) {
            self.exp = exp
            self.nbf = nbf
            self.iss = iss
            self.aud = aud
            self.strings = strings
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ string: String) { stringValue = string }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            exp = try container.decodeIfPresent(ExpirationClaim.self, forKey: Key("exp"))
            nbf = try container.decodeIfPresent(NotBeforeClaim.self, forKey: Key("nbf"))
            iss = try container.decodeIfPresent(IssuerClaim.self, forKey: Key("iss"))
            aud = try container.decodeIfPresent(AudienceClaim.self, forKey: Key("aud"))
            for key in container.allKeys {
                if let text = try? container.decode(String.self, forKey: key) { strings[key.stringValue] = text }
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (name, text) in strings { try container.encode(text, forKey: Key(name)) }
            try container.encodeIfPresent(exp, forKey: Key("exp"))
            try container.encodeIfPresent(nbf, forKey: Key("nbf"))
            try container.encodeIfPresent(iss, forKey: Key("iss"))
            try container.encodeIfPresent(aud, forKey: Key("aud"))
        }

        /// Checked by ``JWTVerifier/identity(token:now:)``, which knows the configuration and the leeway.
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }
}

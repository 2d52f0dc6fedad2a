import FathomCore

/// Maps `Authorization: Bearer …` to the client identity configured for that token.
struct BearerAuthenticator: Sendable {
    private let tokens: [(secret: [UInt8], client: String)]

    init(tokens: [FathomConfig.BearerToken]) {
        self.tokens = tokens.map { (Array($0.secret.utf8), $0.client) }
    }

    var isEnabled: Bool { !tokens.isEmpty }

    enum Failure: Error, Equatable {
        case missing
        case malformed
        case unknown
    }

    /// The token of a `Bearer` header, if it is one.
    static func token(in header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// - Returns: the identity the header's token stands for.
    func identity(authorization header: String?) throws(Failure) -> String {
        guard let header, !header.isEmpty else { throw .missing }
        guard let token = Self.token(in: header) else { throw .malformed }
        let presented = Array(token.utf8)
        // Every token is compared in full whatever matches, so timing does not reveal which one nearly did.
        var found: String?
        for token in tokens where Self.constantTimeEquals(token.secret, presented) {
            found = token.client
        }
        guard let found else { throw .unknown }
        return found
    }

    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}

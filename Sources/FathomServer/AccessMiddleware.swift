import FathomCore
import HTTPTypes
import Hummingbird

/// Runs before every route but the health checks and the RFC 9728 metadata: Host check on loopback
/// binds (421), Origin check (403), the failed-authentication throttle (429), authentication (401),
/// then the caller's rate limit (429 with `Retry-After`). The identity it finds goes into the context,
/// and from there into Policy, session ownership and the audit row of every tool call.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = FathomRequestContext

    let origins: OriginPolicy
    let authenticator: BearerAuthenticator
    let jwt: JWTVerifier?
    let limiter: RateLimiter
    /// Failed authentications per address: a token or JWT cannot be guessed at line rate.
    let failures = RateLimiter(rate: 5, burst: 20)
    /// On a loopback bind, the Host header must name loopback too: a DNS-rebinding page sends its own
    /// host name, and same-origin GETs carry no Origin header to check.
    let checkHost: Bool
    let metrics: ServerMetrics
    /// Where RFC 9728 metadata is served, for `WWW-Authenticate`; nil when not configured.
    let resourceMetadataURL: String?

    /// A 401 with the challenge RFC 6750 asks for, pointing at the RFC 9728 metadata when there is some.
    private func refuse(error: String?, _ reason: String) -> Response {
        metrics.refused("auth")
        var challenge = "Bearer realm=\"fathom\""
        if let error { challenge += ", error=\"\(error)\"" }
        if let resourceMetadataURL { challenge += ", resource_metadata=\"\(resourceMetadataURL)\"" }
        return HTTPReply.error(.unauthorized, reason, headers: [.wwwAuthenticate: challenge])
    }

    /// Three base64url parts: static tokens are checked as such, JWTs by signature.
    static func looksLikeJWT(_ token: String) -> Bool {
        token.utf8.count(where: { $0 == UInt8(ascii: ".") }) == 2
    }

    static let open: Set<String> = ["/healthz", "/readyz", "/.well-known/oauth-protected-resource"]

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if Self.open.contains(request.uri.path) || request.uri.path.hasPrefix("/.well-known/oauth-protected-resource/") {
            return try await next(request, context)
        }
        if checkHost, let host = request.head.authority, !OriginPolicy.isLoopback("http://" + host) {
            metrics.refused("host")
            return HTTPReply.error(
                .misdirectedRequest, "Host '\(host.prefix(100))' is not this server: it listens on loopback only.")
        }
        guard origins.allows(request.headers[.origin]) else {
            metrics.refused("origin")
            return HTTPReply.error(
                .forbidden,
                "Origin '\(request.headers[.origin]?.prefix(200) ?? "")' is not allowed. Add it to http.allowed_origins if this browser app should call Fathom.")
        }
        var context = context
        if authenticator.isEnabled || jwt != nil {
            let header = request.headers[.authorization]
            if failures.isLimited(context.remoteAddress) {
                metrics.refused("auth_rate_limit")
                return HTTPReply.error(.tooManyRequests, "Too many failed authentications from this address; retry later.", headers: [.retryAfter: "5"])
            }
            do {
                if let jwt, let token = BearerAuthenticator.token(in: header), Self.looksLikeJWT(token) {
                    do {
                        context.identity = try await jwt.identity(token: token)
                    } catch let jwtError {
                        // A static token may contain two dots too.
                        guard authenticator.isEnabled, let identity = try? authenticator.identity(authorization: header) else {
                            _ = failures.acquire(context.remoteAddress)
                            return refuse(error: "invalid_token", "\(jwtError)")
                        }
                        context.identity = identity
                    }
                } else {
                    context.identity = try authenticator.identity(authorization: header)
                }
            } catch {
                _ = failures.acquire(context.remoteAddress)
                let reason = switch error {
                case .missing: "Authorization required: send 'Authorization: Bearer <token>'."
                case .malformed: "The Authorization header must be 'Bearer <token>'."
                case .unknown: "The bearer token is not valid."
                }
                return refuse(error: error == .missing ? nil : "invalid_token", reason)
            }
        }
        if let wait = limiter.acquire(context.identity ?? context.remoteAddress) {
            metrics.refused("rate_limit")
            return HTTPReply.error(
                .tooManyRequests, "Rate limit of \(Int(limiter.rate)) requests/s exceeded; retry after \(wait) s.",
                headers: [.retryAfter: String(wait)])
        }
        return try await next(request, context)
    }
}

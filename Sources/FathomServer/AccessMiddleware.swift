import FathomCore
import HTTPTypes
import Hummingbird

/// Runs before every route but the health checks: Origin check (403), authentication (401), then
/// the caller's rate limit (429 with `Retry-After`). The identity it finds goes into the context,
/// and from there into Policy and the audit row of every tool call.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = FathomRequestContext

    let origins: OriginPolicy
    let authenticator: BearerAuthenticator
    let limiter: RateLimiter
    let metrics: ServerMetrics
    /// Where RFC 9728 metadata is served, for `WWW-Authenticate`; nil when not configured.
    let resourceMetadataURL: String?

    static let open: Set<String> = ["/healthz", "/readyz", "/.well-known/oauth-protected-resource"]

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if Self.open.contains(request.uri.path) || request.uri.path.hasPrefix("/.well-known/oauth-protected-resource/") {
            return try await next(request, context)
        }
        guard origins.allows(request.headers[.origin]) else {
            metrics.refused("origin")
            return HTTPReply.error(
                .forbidden,
                "Origin '\(request.headers[.origin]?.prefix(200) ?? "")' is not allowed. Add it to http.allowed_origins if this browser app should call Fathom.")
        }
        var context = context
        if authenticator.isEnabled {
            do {
                context.identity = try authenticator.identity(authorization: request.headers[.authorization])
            } catch {
                metrics.refused("auth")
                var challenge = "Bearer realm=\"fathom\""
                if error != .missing { challenge += ", error=\"invalid_token\"" }
                if let resourceMetadataURL { challenge += ", resource_metadata=\"\(resourceMetadataURL)\"" }
                let reason = switch error {
                case .missing: "Authorization required: send 'Authorization: Bearer <token>' with a token from http.tokens."
                case .malformed: "The Authorization header must be 'Bearer <token>'."
                case .unknown: "The bearer token is not valid."
                }
                return HTTPReply.error(.unauthorized, reason, headers: [.wwwAuthenticate: challenge])
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

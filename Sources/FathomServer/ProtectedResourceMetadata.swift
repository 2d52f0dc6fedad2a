import FathomCore
import Foundation
import HTTPTypes
import Hummingbird

/// OAuth 2.0 Protected Resource Metadata (RFC 9728): tells an MCP client which authorization server
/// issues tokens for this server, and the 401 challenge points at it.
struct ProtectedResourceMetadata: Sendable {
    let settings: FathomConfig.OAuthSettings

    static let wellKnown = "/.well-known/oauth-protected-resource"

    /// The metadata URL for a resource: the well-known path goes between the host and the resource's
    /// path (RFC 9728 section 3.1), so `https://h/mcp` has `https://h/.well-known/oauth-protected-resource/mcp`.
    static func url(for settings: FathomConfig.OAuthSettings) -> String {
        guard let components = URLComponents(string: settings.resource), let scheme = components.scheme, let host = components.host else {
            return settings.resource
        }
        let port = components.port.map { ":\($0)" } ?? ""
        let path = components.path == "/" ? "" : components.path
        return "\(scheme)://\(host)\(port)\(wellKnown)\(path)"
    }

    func register(on router: Router<FathomRequestContext>) {
        let body = Data(
            JSONWriter.write([
                "resource": .string(settings.resource),
                "authorization_servers": .array(settings.authorizationServers.map { .string($0) }),
                "scopes_supported": .array(settings.scopes.map { .string($0) }),
                "bearer_methods_supported": ["header"],
                "resource_name": "Fathom",
            ]))
        let respond: @Sendable (Request, FathomRequestContext) -> Response = { _, _ in
            HTTPReply.json(body, headers: [.cacheControl: "max-age=3600"])
        }
        router.get(RouterPath(stringLiteral: Self.wellKnown), use: respond)
        let path = URLComponents(string: settings.resource)?.path ?? ""
        if !path.isEmpty && path != "/" {
            router.get(RouterPath(stringLiteral: Self.wellKnown + path), use: respond)
        }
    }
}

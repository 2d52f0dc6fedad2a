import Hummingbird
import NIOCore

/// Per-request state: who the caller is, once ``AccessMiddleware`` has checked them.
public struct FathomRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client identity a bearer token or JWT stands for; nil when the server runs without auth.
    public var identity: String?
    /// The peer's address, for rate limiting anonymous callers.
    public let remoteAddress: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Bodies are checked against `http.max_body_bytes` by the routes themselves, so that the 413
    /// carries a JSON-RPC error; this only bounds other routes.
    public var maxUploadSize: Int { 1 << 20 }
}

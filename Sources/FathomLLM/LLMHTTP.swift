import AsyncHTTPClient
import FathomTools
import NIOCore

/// The HTTP client for model servers. Unlike the tools' client it does not keep re-trying a refused connection until
/// the connect timeout: a model that is down should cost nothing, because the router has a next model and every agent
/// a deterministic path.
public enum LLMHTTP {
    public static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: .seconds(600)))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 8)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .shared(OutboundHTTP.eventLoopGroup), configuration: configuration)
    }()
}

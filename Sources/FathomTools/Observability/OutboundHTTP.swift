import AsyncHTTPClient
import FathomCore
import NIOCore
import NIOPosix
import NIOSSL

/// The one HTTP client every outbound call shares, and the TLS settings built from config.
public enum OutboundHTTP {
    public static let userAgent = "fathom"

    /// NIO's singleton group. The CLI gives it one loop, which `serve` and `mcp` also make Swift's
    /// global executor (`FathomHTTPServer.configureEventLoops`), so outbound I/O runs on the thread
    /// that runs the tool call.
    public static var eventLoopGroup: MultiThreadedEventLoopGroup { .singleton }

    /// Runs on ``eventLoopGroup``. Redirects are not followed, so credentials never travel to a host
    /// the config did not name.
    public static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: .seconds(300)))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .shared(eventLoopGroup), configuration: configuration)
    }()

    /// For servers Fathom can do without for a while (models, other MCP servers): a refused connection fails at once
    /// instead of being re-tried until the connect timeout, because the router has a next model, every agent a
    /// deterministic path, and a missing MCP server only its own tools.
    public static let failFastClient: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: .seconds(600)))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 8)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .shared(eventLoopGroup), configuration: configuration)
    }()

    /// nil means the default: system trust roots, full verification.
    public static func tlsConfiguration(_ settings: FathomConfig.TLSSettings) throws -> TLSConfiguration? {
        guard !settings.isDefault else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca = settings.caPEM {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(ca))
        } else if let ca = settings.caFile {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
        }
        if let certificate = settings.certificatePEM {
            tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
        } else if let certificate = settings.certificateFile {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
        }
        if let key = settings.keyPEM {
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
        } else if let key = settings.keyFile {
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        }
        if settings.insecureSkipVerify {
            tls.certificateVerification = .none
        }
        return tls
    }
}

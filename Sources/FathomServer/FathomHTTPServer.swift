import FathomCore
import FathomMCP
import FathomStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// `fathom serve`'s HTTP side: MCP Streamable HTTP at `/mcp`, legacy HTTP+SSE at `/sse` and `/messages`,
/// and `/healthz`, `/readyz`, `/metrics`, behind Origin, auth and rate-limit checks.
public struct FathomHTTPServer: Sendable {
    public let settings: FathomConfig.HTTPSettings
    public let sessions: HTTPSessionTable
    public let metrics: ServerMetrics
    let store: any Store
    let logger: Logger

    let jwt: JWTVerifier?

    public enum StartError: Error, CustomStringConvertible {
        case openBind(String)
        case jwtKeys(String)
        public var description: String {
            switch self {
            case .openBind(let host):
                "Refusing to listen on \(host) without authentication: anyone who can reach it could call the tools. Configure http.tokens (or FATHOM_HTTP_TOKEN) or http.jwt, or bind 127.0.0.1."
            case .jwtKeys(let reason): reason
            }
        }
    }

    /// - Parameter services: read per session (and per stateless request), so a reload reaches new ones.
    public init(
        settings: FathomConfig.HTTPSettings, services: @escaping @Sendable () -> MCPServices, store: any Store,
        metrics: ServerMetrics, logger: Logger = Logger(label: "fathom.http")
    ) async throws {
        guard settings.isLoopback || settings.requiresAuth else { throw StartError.openBind(settings.host) }
        if let jwtSettings = settings.jwt {
            do {
                jwt = try await JWTVerifier(settings: jwtSettings)
            } catch {
                throw StartError.jwtKeys("\(error)")
            }
        } else {
            jwt = nil
        }
        self.settings = settings
        self.sessions = HTTPSessionTable(
            maxSessions: settings.maxSessions, idleTimeout: .seconds(settings.sessionIdleSeconds),
            scheduler: Self.eventLoopTimer, services: services)
        self.metrics = metrics
        self.store = store
        self.logger = logger
        self.services = services
    }

    let services: @Sendable () -> MCPServices

    /// One NIO event-loop thread for the process, and with `takeOverExecutor` it is also Swift's global
    /// executor: a request (HTTP or stdio), its tool call, the tool's own outbound HTTP or PostgreSQL
    /// I/O and the reply never change threads. On these VMs a cross-CPU wake-up costs 70-100 µs, several
    /// times a whole request on one thread; with two loops AsyncHTTPClient handed every request between
    /// them (four eventfd wake-ups per call, seen with strace). More CPUs are used by running replicas.
    /// Call once, first thing on the main thread: NIO refuses a second setting.
    public static func configureEventLoops(takeOverExecutor: Bool) {
        NIOSingletons.groupLoopCountSuggestion = 1
        if takeOverExecutor {
            _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
    }

    /// A timer on the event loop the caller runs on (the server's own, in `fathom serve`).
    static let eventLoopTimer: PostExchange.Scheduler = { delay, work in
        let (seconds, attoseconds) = delay.components
        let scheduled = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(
            in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        ) { work() }
        return { scheduled.cancel() }
    }

    /// The router with every route and middleware, for a live server or Hummingbird's test client.
    public func router() -> Router<FathomRequestContext> {
        let router = Router(context: FathomRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(
            middleware: AccessMiddleware(
                origins: OriginPolicy(allowed: settings.allowedOrigins), authenticator: BearerAuthenticator(tokens: settings.tokens),
                jwt: jwt, limiter: RateLimiter(rate: settings.rateLimit, burst: settings.rateBurst), checkHost: settings.isLoopback,
                metrics: metrics,
                resourceMetadataURL: settings.oauth.map(ProtectedResourceMetadata.url(for:))))
        HealthRoutes(store: store, metrics: metrics).register(on: router)
        if let oauth = settings.oauth { ProtectedResourceMetadata(settings: oauth).register(on: router) }
        StreamableHTTPRoutes(
            sessions: sessions, stateless: StatelessExchange(services: services, metrics: metrics), metrics: metrics,
            maxBodyBytes: settings.maxBodyBytes, statelessOnly: settings.stateless
        ).register(on: router)
        LegacySSERoutes(sessions: sessions, metrics: metrics, maxBodyBytes: settings.maxBodyBytes).register(on: router)
        return router
    }

    /// The Hummingbird application, with the idle-session reaper as one of its services.
    /// - Parameter onListening: called with the bound port (useful with port 0).
    public func application(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let logger = self.logger
        return Application(
            router: router(),
            server: .http1(configuration: .init(idleTimeout: .seconds(60))),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "fathom", backlog: 1024),
            services: [SessionReaper(sessions: sessions, metrics: metrics)],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("listening", metadata: ["address": "\(channel.localAddress?.description ?? "?")"])
                await onListening(port)
            },
            logger: logger)
    }
}

/// Ends sessions idle past `http.session_idle_seconds`, and every session at shutdown.
struct SessionReaper: Service {
    let sessions: HTTPSessionTable
    let metrics: ServerMetrics

    func run() async throws {
        let interval = min(Duration.seconds(30), sessions.idleTimeout / 2)
        let ticks = AsyncStream<Void> { continuation in
            let timer = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    continuation.yield()
                }
            }
            continuation.onTermination = { _ in timer.cancel() }
        }
        for await _ in ticks.cancelOnGracefulShutdown() {
            if await sessions.closeIdle() > 0 { metrics.sessionsChanged(to: sessions.count) }
        }
        await sessions.closeAll()
        metrics.sessionsChanged(to: 0)
    }
}

import ArgumentParser
import FathomCore
import FathomMCP
import FathomServer
import FathomTools
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve MCP over HTTP (Streamable HTTP at /mcp, legacy SSE at /sse), with /healthz, /readyz and /metrics.",
        discussion: """
            Binds 127.0.0.1:8765 unless told otherwise; any other address needs http.tokens. \
            SIGHUP reloads tools/, prompts/ and policies without dropping sessions; SIGTERM and SIGINT stop gracefully.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, help: "Address to bind (default: http.host, 127.0.0.1).")
    var host: String?

    @Option(name: .long, help: "Port to bind; 0 picks a free one (default: http.port, 8765).")
    var port: Int?

    func run() async throws {
        FathomLogging.bootstrap(level: options.logLevel)
        signal(SIGPIPE, SIG_IGN)
        let metrics = ServerMetrics()
        metrics.bootstrapMetricsSystem()
        let observer: ToolRegistry.CallObserver = { metrics.toolCall($0, $1, $2) }
        let runtime: Runtime
        var settings: FathomConfig.HTTPSettings
        do {
            runtime = try await Runtime(options: options, observer: observer)
            settings = runtime.config.http
        } catch {
            FileHandle.standardError.write(Data("fathom: \(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        if let host { settings.host = host }
        if let port {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
            settings.port = port
        }
        let current = CurrentRuntime(runtime)
        let provider: @Sendable () -> MCPServices = { current.services }
        let server: FathomHTTPServer
        do {
            server = try await FathomHTTPServer(settings: settings, services: provider, store: runtime.store, metrics: metrics)
        } catch {
            FileHandle.standardError.write(Data("fathom: \(error)\n".utf8))
            throw ExitCode(78)
        }
        let logger = Logger(label: "fathom.serve")
        let host = settings.host
        let app = server.application { port in
            let shown = host.contains(":") ? "[\(host)]" : host
            FileHandle.standardError.write(Data("fathom: listening on http://\(shown):\(port)/mcp\n".utf8))
        }
        let reloader = Reloader(options: options, current: current, observer: observer, sessions: server.sessions, logger: logger)
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: reloader), .init(service: app)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // Streams end at shutdown, but a stuck call must not hold the process forever.
        configuration.maximumGracefulShutdownDuration = .seconds(10)
        configuration.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: configuration).run()
        await current.runtime.audit.flush()
        await current.runtime.external.close()
    }
}

/// Reloads configuration, tools, policy and prompts on SIGHUP. A bad new configuration is logged and
/// the old one stays in force.
struct Reloader: Service {
    let options: GlobalOptions
    let current: CurrentRuntime
    let observer: ToolRegistry.CallObserver
    let sessions: HTTPSessionTable
    let logger: Logger

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            do {
                let fresh = try await current.runtime.reloaded(options: options, observer: observer)
                current.replace(with: fresh)
                sessions.announceReload()
                FileHandle.standardError.write(
                    Data("fathom: reloaded tools, policies and prompts (\(fresh.registry.count) tools); http.* settings (address, tokens, JWT, origins, limits) apply at restart\n".utf8))
            } catch {
                FileHandle.standardError.write(Data("fathom: reload rejected, keeping the previous configuration: \(error)\n".utf8))
            }
        }
    }
}

/// The runtime in force; SIGHUP swaps it, and sessions read their services from it per request.
final class CurrentRuntime: Sendable {
    private let state: Mutex<(runtime: Runtime, services: MCPServices)>

    init(_ runtime: Runtime) {
        state = Mutex((runtime, runtime.services))
    }

    var runtime: Runtime { state.withLock { $0.runtime } }
    var services: MCPServices { state.withLock { $0.services } }

    func replace(with runtime: Runtime) {
        let services = runtime.services
        state.withLock { $0 = (runtime, services) }
    }
}

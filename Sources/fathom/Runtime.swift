import FathomAgents
import FathomCore
import FathomLLM
import FathomMCP
import FathomStore
import FathomTools
import Foundation
import Logging

/// Everything a command needs, assembled once from configuration.
struct Runtime: Sendable {
    let config: FathomConfig
    let store: SQLiteStore
    let audit: AuditLog
    let filesystem: FilesystemAccess
    let registry: ToolRegistry
    let prompts: PromptRegistry
    /// Kept across reloads, so a cursor handed out before SIGHUP still reads.
    let cursors: ResultCursors
    let observability: ObservabilityEndpoints
    let databases: Databases
    let clusters: KubeClusters
    /// The other MCP servers whose tools Fathom offers; kept across a reload that does not change them.
    let external: ExternalServers
    /// The agents and the models they call; its registry is the tools without the agent tools, so an agent cannot
    /// ask another agent through a tool.
    let agents: AgentEngine

    /// - Parameters:
    ///   - observer: told of every tool call (metrics, in `serve`).
    ///   - connectingExternal: false for commands that call no tool (`audit`, `runs`), which then start no other server.
    init(options: GlobalOptions, observer: ToolRegistry.CallObserver? = nil, connectingExternal: Bool = true) async throws {
        let config = try Self.loadConfig(options)
        let stateDirectory = config.stateDirectory.hasPrefix("/")
            ? config.stateDirectory : (config.home as NSString).appendingPathComponent(config.stateDirectory)
        let store = try SQLiteStore(directory: stateDirectory)
        try self.init(
            config: config, store: store, audit: AuditLog(store: store), cursors: ResultCursors(),
            external: connectingExternal ? await ExternalServers.connect(config.external) : .none, observer: observer)
    }

    private init(
        config: FathomConfig, store: SQLiteStore, audit: AuditLog, cursors: ResultCursors, external: ExternalServers,
        observer: ToolRegistry.CallObserver?
    ) throws {
        self.config = config
        self.store = store
        self.audit = audit
        self.cursors = cursors
        self.external = external
        filesystem = FilesystemAccess(settings: config.filesystem, home: config.home)
        observability = try ObservabilityEndpoints(settings: config.observability, cursors: cursors)
        databases = Databases(settings: config.database)
        clusters = try KubeClusters(settings: config.cluster)
        for cluster in config.cluster.clusters where cluster.endpoint.tls.insecureSkipVerify {
            Logger(label: "fathom.cluster").warning(
                "cluster '\(cluster.name)': insecure-skip-tls-verify is set, so the API server's certificate is not checked")
        }
        let tools: [any Tool] = FilesystemToolset.tools(filesystem) + ObservabilityToolset.tools(observability)
            + DatabaseToolset.tools(databases) + ClusterToolset.tools(clusters)
        let policy = Policy(config.policy)
        agents = AgentEngine(
            agents: try AgentSpecLoader(home: config.home).load(),
            registry: ToolRegistry(tools: tools, proxied: external.tools, policy: policy, audit: audit, observer: observer),
            router: try ModelRouter(config.llm), store: store, home: config.home, deniedFiles: config.filesystem.deny)
        registry = ToolRegistry(
            tools: tools + AgentToolset.tools(agents), proxied: external.tools, policy: policy, audit: audit, observer: observer)
        prompts = PromptRegistry.load(directory: (config.home as NSString).appendingPathComponent("prompts"))
    }

    static func loadConfig(_ options: GlobalOptions) throws -> FathomConfig {
        var config = try ConfigLoader().load(file: options.config)
        if !options.root.isEmpty {
            let cwd = FileManager.default.currentDirectoryPath
            config.filesystem.roots = options.root.map { $0.hasPrefix("/") || $0.hasPrefix("~") ? $0 : cwd + "/" + $0 }
        }
        return config
    }

    /// The same store and audit log with configuration, tools, policy and prompts read again. External servers are
    /// reconnected only when their settings changed; the old ones are closed once the new runtime is built.
    /// - Throws: the new configuration's error; the caller keeps the old runtime.
    func reloaded(options: GlobalOptions, observer: ToolRegistry.CallObserver?) async throws -> Runtime {
        let config = try Self.loadConfig(options)
        let same = config.external == self.config.external
        let external = same ? self.external : await ExternalServers.connect(config.external)
        do {
            let fresh = try Runtime(config: config, store: store, audit: audit, cursors: cursors, external: external, observer: observer)
            if !same { await self.external.close() }
            return fresh
        } catch {
            if !same { await external.close() }
            throw error
        }
    }

    var services: MCPServices {
        MCPServices(
            registry: registry, prompts: prompts, filesystem: filesystem, config: config, version: FathomCommand.version, runs: store)
    }
}

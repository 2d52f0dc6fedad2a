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
    /// The agents and the models they call; its registry is the tools without the agent tools, so an agent cannot
    /// ask another agent through a tool.
    let agents: AgentEngine

    /// - Parameter observer: told of every tool call (metrics, in `serve`).
    init(options: GlobalOptions, observer: ToolRegistry.CallObserver? = nil) throws {
        let config = try Self.loadConfig(options)
        let stateDirectory = config.stateDirectory.hasPrefix("/")
            ? config.stateDirectory : (config.home as NSString).appendingPathComponent(config.stateDirectory)
        store = try SQLiteStore(directory: stateDirectory)
        audit = AuditLog(store: store)
        cursors = ResultCursors()
        (self.config, filesystem, registry, prompts, observability, databases, clusters, agents) = try Self.assemble(
            config, store: store, audit: audit, cursors: cursors, observer: observer)
    }

    private init(reloading runtime: Runtime, config: FathomConfig, observer: ToolRegistry.CallObserver?) throws {
        store = runtime.store
        audit = runtime.audit
        cursors = runtime.cursors
        (self.config, filesystem, registry, prompts, observability, databases, clusters, agents) = try Self.assemble(
            config, store: store, audit: audit, cursors: cursors, observer: observer)
    }

    static func loadConfig(_ options: GlobalOptions) throws -> FathomConfig {
        var config = try ConfigLoader().load(file: options.config)
        if !options.root.isEmpty {
            let cwd = FileManager.default.currentDirectoryPath
            config.filesystem.roots = options.root.map { $0.hasPrefix("/") || $0.hasPrefix("~") ? $0 : cwd + "/" + $0 }
        }
        return config
    }

    private static func assemble(
        _ config: FathomConfig, store: SQLiteStore, audit: AuditLog, cursors: ResultCursors, observer: ToolRegistry.CallObserver?
    ) throws -> (FathomConfig, FilesystemAccess, ToolRegistry, PromptRegistry, ObservabilityEndpoints, Databases, KubeClusters, AgentEngine) {
        let filesystem = FilesystemAccess(settings: config.filesystem, home: config.home)
        let observability = try ObservabilityEndpoints(settings: config.observability, cursors: cursors)
        let databases = Databases(settings: config.database)
        let clusters = try KubeClusters(settings: config.cluster)
        for cluster in config.cluster.clusters where cluster.endpoint.tls.insecureSkipVerify {
            Logger(label: "fathom.cluster").warning(
                "cluster '\(cluster.name)': insecure-skip-tls-verify is set, so the API server's certificate is not checked")
        }
        let tools: [any Tool] = FilesystemToolset.tools(filesystem) + ObservabilityToolset.tools(observability)
            + DatabaseToolset.tools(databases) + ClusterToolset.tools(clusters)
        let policy = Policy(config.policy)
        let agents = AgentEngine(
            agents: try AgentSpecLoader(home: config.home).load(),
            registry: ToolRegistry(tools: tools, policy: policy, audit: audit, observer: observer),
            router: try ModelRouter(config.llm), store: store, home: config.home, deniedFiles: config.filesystem.deny)
        let registry = ToolRegistry(tools: tools + AgentToolset.tools(agents), policy: policy, audit: audit, observer: observer)
        let prompts = PromptRegistry.load(directory: (config.home as NSString).appendingPathComponent("prompts"))
        return (config, filesystem, registry, prompts, observability, databases, clusters, agents)
    }

    /// The same store and audit log with configuration, tools, policy and prompts read again.
    /// - Throws: the new configuration's error; the caller keeps the old runtime.
    func reloaded(options: GlobalOptions, observer: ToolRegistry.CallObserver?) throws -> Runtime {
        try Runtime(reloading: self, config: try Self.loadConfig(options), observer: observer)
    }

    var services: MCPServices {
        MCPServices(
            registry: registry, prompts: prompts, filesystem: filesystem, config: config, version: FathomCommand.version, runs: store)
    }
}

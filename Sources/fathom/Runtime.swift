import FathomCore
import FathomMCP
import FathomStore
import FathomTools
import Foundation

/// Everything a command needs, assembled once from configuration.
struct Runtime {
    let config: FathomConfig
    let store: SQLiteStore
    let audit: AuditLog
    let filesystem: FilesystemAccess
    let registry: ToolRegistry
    let prompts: PromptRegistry

    init(options: GlobalOptions) throws {
        var config = try ConfigLoader().load(file: options.config)
        if !options.root.isEmpty {
            let cwd = FileManager.default.currentDirectoryPath
            config.filesystem.roots = options.root.map { $0.hasPrefix("/") || $0.hasPrefix("~") ? $0 : cwd + "/" + $0 }
        }
        self.config = config
        let stateDirectory = config.stateDirectory.hasPrefix("/")
            ? config.stateDirectory : (config.home as NSString).appendingPathComponent(config.stateDirectory)
        store = try SQLiteStore(directory: stateDirectory)
        audit = AuditLog(store: store)
        filesystem = FilesystemAccess(settings: config.filesystem, home: config.home)
        registry = ToolRegistry(tools: FilesystemToolset.tools(filesystem), policy: Policy(config.policy), audit: audit)
        prompts = PromptRegistry.load(directory: (config.home as NSString).appendingPathComponent("prompts"))
    }

    var services: MCPServices {
        MCPServices(registry: registry, prompts: prompts, filesystem: filesystem, config: config, version: FathomCommand.version)
    }
}

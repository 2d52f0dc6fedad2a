import FathomCore
import FathomStore
import FathomTools

/// What every MCP session shares: tools, prompts, resources and configuration. Built once per process.
public struct MCPServices: Sendable {
    public let registry: ToolRegistry
    public let prompts: PromptRegistry
    public let config: FathomConfig
    public let version: String
    let resources: FileResources
    /// Where agent runs are kept, for `fathom://runs/{id}`; nil serves no runs.
    let runs: (any Store)?

    public init(
        registry: ToolRegistry, prompts: PromptRegistry, filesystem: FilesystemAccess, config: FathomConfig, version: String,
        runs: (any Store)? = nil
    ) {
        self.registry = registry
        self.prompts = prompts
        self.config = config
        self.version = version
        self.resources = FileResources(access: filesystem)
        self.runs = runs
    }

    static let instructions = """
        Fathom gives read-only access to files under the allowed directories (call list_allowed_directories first). \
        Tool failures come back as results with isError set and a message saying what to do. Writes are off unless \
        the operator's policy allows them.
        """
}

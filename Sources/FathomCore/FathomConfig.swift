/// Everything Fathom is configured with, after embedded defaults, `fathom.yaml`, `tools/*.yaml`
/// and `FATHOM_*` environment variables have been applied, in that order.
public struct FathomConfig: Sendable, Equatable {
    /// The folder that holds `fathom.yaml`, `tools/`, `prompts/` and `agents/`.
    public var home: String
    /// Where the embedded database lives. Relative paths are taken from ``home``.
    public var stateDirectory: String = ".fathom"
    public var mcp = MCPSettings()
    public var policy = PolicySettings()
    public var filesystem = FilesystemSettings()
    /// The files that were read, for `fathom doctor`.
    public var sources: [String] = []

    public init(home: String) {
        self.home = home
    }

    public struct MCPSettings: Sendable, Equatable {
        /// The longest JSON-RPC message accepted on stdio; longer lines get -32600 and are dropped.
        public var maxMessageBytes = 4 * 1024 * 1024
        /// Items per page of tools/list, resources/list and prompts/list.
        public var pageSize = 100
        public init() {}
    }

    public struct PolicySettings: Sendable, Equatable {
        /// With read-only on, only tools annotated read-only run.
        public var readOnly = true
        /// Tool-name globs, or `toolset:NAME`, that are allowed; destructive tools need to be named here.
        public var allow: [String] = []
        /// Tool-name globs, or `toolset:NAME`, that never run. Deny wins over allow.
        public var deny: [String] = []
        /// Rules for one client identity (a glob on the MCP client name or token identity).
        public var clients: [ClientRule] = []
        public init() {}
    }

    public struct ClientRule: Sendable, Equatable {
        public var client: String
        public var readOnly: Bool?
        public var allow: [String] = []
        public var deny: [String] = []
        public init(client: String) {
            self.client = client
        }
    }

    public struct FilesystemSettings: Sendable, Equatable {
        /// Allowed roots. Relative paths are taken from ``FathomConfig/home``.
        public var roots: [String] = ["."]
        /// Paths matching these globs are never read, listed or written.
        public var deny: [String] = [".env*", "**/.git/**", "*.pem", "*.key", "id_*"]
        /// Text reads stop here, with a truncation marker.
        public var maxReadBytes = 1024 * 1024
        /// Media reads stop here, with an error (a cut image is useless).
        public var maxMediaBytes = 10 * 1024 * 1024
        /// search_files and directory_tree stop after visiting this many entries.
        public var maxEntries = 100_000
        /// When the MCP client offers roots, they replace ``roots``.
        public var useClientRoots = true
        public init() {}
    }
}

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
    public var http = HTTPSettings()
    public var observability = ObservabilitySettings()
    public var database = DatabaseSettings()
    public var cluster = ClusterSettings()
    public var llm = LLMSettings()
    public var external = ExternalSettings()
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

    public struct HTTPSettings: Sendable, Equatable {
        /// Loopback by default; any other address needs ``tokens`` (or JWT) so the tools are not open to the network.
        public var host = "127.0.0.1"
        public var port = 8765
        /// Browser origins allowed to call (globs such as `https://*.example.com`). Loopback origins are
        /// always allowed; requests without an Origin header (non-browser clients) are not checked.
        public var allowedOrigins: [String] = []
        /// A request body larger than this gets 413.
        public var maxBodyBytes = 4 * 1024 * 1024
        public var maxSessions = 1000
        /// Seconds without a request or an open stream after which a session ends.
        public var sessionIdleSeconds = 1800
        /// Requests per second per client identity (per address when anonymous); 0 turns limiting off.
        public var rateLimit = 0
        /// Requests a client may send at once above the steady rate.
        public var rateBurst = 100
        /// Serve Streamable HTTP without sessions (each POST stands alone), for replicas behind a load balancer.
        public var stateless = false
        /// Bearer tokens and the client identity each one stands for.
        public var tokens: [BearerToken] = []
        /// Bearer JWTs from an identity provider, verified here; a claim names the client.
        public var jwt: JWTSettings?
        /// OAuth protected-resource metadata (RFC 9728), served so clients can find the authorization server.
        public var oauth: OAuthSettings?
        public init() {}

        /// Whether callers must authenticate: any non-loopback bind requires it.
        public var requiresAuth: Bool { !tokens.isEmpty || jwt != nil }

        public var isLoopback: Bool {
            ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
        }
    }

    public struct JWTSettings: Sendable, Equatable {
        public enum Key: Sendable, Equatable {
            /// A shared secret (HS256).
            case hs256(String)
            /// A JSON Web Key Set (RS256, ES256, …), as published by the identity provider.
            case jwks(String)
        }
        public var issuer: String
        public var audience: String
        public var key: Key
        /// The claim whose value is the client identity that Policy and the audit log see.
        public var clientClaim = "sub"
        /// Clock skew allowed on `exp` and `nbf`.
        public var leewaySeconds = 60
        public init(issuer: String, audience: String, key: Key) {
            self.issuer = issuer
            self.audience = audience
            self.key = key
        }
    }

    public struct OAuthSettings: Sendable, Equatable {
        /// This server's resource identifier, e.g. `https://fathom.example.com/mcp`.
        public var resource: String
        public var authorizationServers: [String]
        public var scopes: [String] = []
        public init(resource: String, authorizationServers: [String]) {
            self.resource = resource
            self.authorizationServers = authorizationServers
        }
    }

    /// A static bearer token. The secret comes from the config, an environment variable or a file.
    public struct BearerToken: Sendable, Equatable, CustomStringConvertible {
        public var client: String
        public var secret: String
        public init(client: String, secret: String) {
            self.client = client
            self.secret = secret
        }
        /// Never prints the secret.
        public var description: String { "token for \(client)" }
    }
}

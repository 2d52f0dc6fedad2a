extension FathomConfig {
    /// Other MCP servers whose tools Fathom offers as its own (`tools/external.yaml`), each behind the same policy,
    /// approval and audit.
    public struct ExternalSettings: Sendable, Equatable {
        public var servers: [ExternalServer] = []
        public init() {}
    }

    public struct ExternalServer: Sendable, Equatable {
        public enum Transport: Sendable, Equatable {
            /// A process Fathom starts, spoken to over its stdin and stdout.
            case stdio(command: [String], environment: [String: String], directory: String?)
            /// A Streamable HTTP endpoint.
            case http(url: String, bearer: String?)
        }

        /// Its tools appear as `NAME__TOOL`.
        public var name: String
        public var transport: Transport
        /// Tool-name globs (the server's own names) trusted as read-only. Every other tool of the server counts as
        /// destructive, whatever the server's hints say: a hint from another server is not a promise.
        public var readOnlyTools: [String] = []
        public var timeoutSeconds = 30.0

        public init(name: String, transport: Transport) {
            self.name = name
            self.transport = transport
        }
    }
}

import FathomCore

/// What a running tool may know and do besides its arguments: who called, until when,
/// and how to report progress and log lines back to the caller.
public struct ToolContext: Sendable {
    public enum LogLevel: String, Sendable, CaseIterable, Comparable {
        case debug, info, notice, warning, error, critical, alert, emergency

        public static func < (a: LogLevel, b: LogLevel) -> Bool {
            a.rank < b.rank
        }

        private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    }

    /// A person's answer to "may this destructive call run?".
    public enum Approval: Sendable, Equatable {
        case approved
        /// Why not, in words for the caller: "the user declined".
        case declined(String)
    }

    /// MCP client name, token identity, or `cli`.
    public var client: String
    /// The agent on whose behalf the call runs, if any.
    public var agent: String?
    /// Roots the client offered (MCP roots); they replace the configured ones where a toolset allows it.
    public var clientRoots: [String]?
    /// Reports progress: done so far, total if known, and a message.
    public var progress: @Sendable (Double, Double?, String?) async -> Void
    /// Sends a log line to the caller (MCP `notifications/message`).
    public var log: @Sendable (LogLevel, String) async -> Void
    /// Asks the person behind the client to approve a destructive call (MCP elicitation); nil when the
    /// client cannot ask, in which case policy alone decides.
    public var approve: (@Sendable (_ message: String) async -> Approval)?
    /// Sends MCP `sampling/createMessage` with these params to the client and returns its result: the client's own
    /// model, which agents borrow when Fathom has none. Nil when the client cannot sample.
    public var sample: (@Sendable (_ params: JSONValue) async throws -> JSONValue)?

    public init(
        client: String, agent: String? = nil, clientRoots: [String]? = nil,
        progress: @escaping @Sendable (Double, Double?, String?) async -> Void = { _, _, _ in },
        log: @escaping @Sendable (LogLevel, String) async -> Void = { _, _ in },
        approve: (@Sendable (_ message: String) async -> Approval)? = nil,
        sample: (@Sendable (_ params: JSONValue) async throws -> JSONValue)? = nil
    ) {
        self.client = client
        self.agent = agent
        self.clientRoots = clientRoots
        self.progress = progress
        self.log = log
        self.approve = approve
        self.sample = sample
    }
}

import FathomLLM
import FathomTools

/// How a run talks back while it works: tokens as the model writes them, a line per step, and who approves a
/// destructive call.
public struct AgentEvents: Sendable {
    /// The model's text as it streams; nil asks for whole replies.
    public var onToken: (@Sendable (String) -> Void)?
    /// One line per step: a route taken, a tool called, the path switched.
    public var onStep: @Sendable (String) async -> Void
    /// The person behind the client, asked before a destructive call; nil when nobody can be asked.
    public var approve: (@Sendable (_ message: String) async -> ToolContext.Approval)?
    /// The MCP client's own model (sampling), used when Fathom has none configured.
    public var borrowedModel: (any ChatModel)?

    public init(
        onToken: (@Sendable (String) -> Void)? = nil, onStep: @escaping @Sendable (String) async -> Void = { _ in },
        approve: (@Sendable (_ message: String) async -> ToolContext.Approval)? = nil, borrowedModel: (any ChatModel)? = nil
    ) {
        self.onToken = onToken
        self.onStep = onStep
        self.approve = approve
        self.borrowedModel = borrowedModel
    }
}

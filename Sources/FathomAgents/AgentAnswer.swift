import FathomLLM

/// What an agent run produced, and how.
public struct AgentAnswer: Sendable, Equatable {
    public enum Mode: Sendable, Equatable {
        /// A model answered; its configured name.
        case llm(model: String)
        /// The deterministic path answered, and why it had to.
        case fallback(why: String)

        public var name: String {
            switch self {
            case .llm: "llm"
            case .fallback: "fallback"
            }
        }
    }

    public var runID: String
    /// The agent that answered (after routing).
    public var agent: String
    public var mode: Mode
    /// The answer, redacted.
    public var text: String
    public var usage: TokenUsage
    /// Tool calls made.
    public var toolCalls: Int

    /// The answer and a last line that says which path produced it.
    public var rendered: String { text + "\n\n" + footer }

    /// `— agent: NAME · mode: llm (model M) · 2 tool calls · 1234 tokens · run ID`, or `mode: fallback (why)`.
    public var footer: String {
        var footer = "— agent: \(agent) · mode: "
        switch mode {
        case .llm(let model): footer += "llm (model \(model))"
        case .fallback(let why): footer += "fallback (\(why))"
        }
        footer += " · \(toolCalls) tool call\(toolCalls == 1 ? "" : "s")"
        if usage.total > 0 { footer += " · \(usage.total)\(usage.estimated ? "~" : "") tokens" }
        footer += " · run \(runID)"
        return footer
    }
}

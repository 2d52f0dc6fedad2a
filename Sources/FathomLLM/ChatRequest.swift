/// What is sent to a model for one turn.
public struct ChatRequest: Sendable {
    public enum ToolChoice: String, Sendable {
        case auto, required, none
    }

    public var messages: [ChatMessage]
    public var tools: [ToolSpec]
    public var toolChoice: ToolChoice
    /// Tokens the reply may use; nil leaves it to the model's setting.
    public var maxTokens: Int?
    public var temperature: Double?
    /// Sequences that end the reply.
    public var stop: [String]

    public init(
        messages: [ChatMessage], tools: [ToolSpec] = [], toolChoice: ToolChoice = .auto, maxTokens: Int? = nil,
        temperature: Double? = nil, stop: [String] = []
    ) {
        self.messages = messages
        self.tools = tools
        self.toolChoice = toolChoice
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.stop = stop
    }
}

/// A model's answer to one turn.
public struct ChatReply: Sendable, Equatable {
    public var content: String
    public var toolCalls: [ToolCall]
    /// `stop`, `length`, `tool_calls`, … as the server said.
    public var finishReason: String?
    public var usage: TokenUsage
    /// The configured model that answered.
    public var model: String

    public init(content: String, toolCalls: [ToolCall] = [], finishReason: String? = nil, usage: TokenUsage = TokenUsage(), model: String) {
        self.content = content
        self.toolCalls = toolCalls
        self.finishReason = finishReason
        self.usage = usage
        self.model = model
    }
}

/// Tokens a call used. Servers that do not say are estimated at four bytes a token.
public struct TokenUsage: Sendable, Equatable {
    public var promptTokens: Int
    public var completionTokens: Int
    /// True when the numbers are an estimate, not the server's.
    public var estimated: Bool

    public init(promptTokens: Int = 0, completionTokens: Int = 0, estimated: Bool = false) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.estimated = estimated
    }

    public var total: Int { promptTokens + completionTokens }

    public static func += (a: inout TokenUsage, b: TokenUsage) {
        a.promptTokens += b.promptTokens
        a.completionTokens += b.completionTokens
        a.estimated = a.estimated || b.estimated
    }

    /// A rough count for text a tokenizer has not seen: about four bytes per token for English and JSON.
    public static func estimate(_ text: String) -> Int { (text.utf8.count + 3) / 4 }
}

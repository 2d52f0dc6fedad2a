import FathomCore

/// The MCP client's own model, borrowed through `sampling/createMessage` when Fathom has none. Tools are offered in
/// the prompt (``ToolCallShim``), which every client can pass on; the client may show the request to a person first.
public struct SamplingModel: ChatModel {
    public let name = "client"
    public let nativeTools = false
    private let sample: @Sendable (JSONValue) async throws -> JSONValue

    public init(sample: @escaping @Sendable (JSONValue) async throws -> JSONValue) {
        self.sample = sample
    }

    public func complete(_ request: ChatRequest, onToken: (@Sendable (String) -> Void)?) async throws -> ChatReply {
        let prepared = ToolCallShim.promptTools(request)
        let system = prepared.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        // Sampling has only user and assistant turns.
        let messages: [JSONValue] = prepared.messages.filter { $0.role != .system }.map { message in
            ["role": .string(message.role == .assistant ? "assistant" : "user"), "content": ["type": "text", "text": .string(message.content)]]
        }
        var params: [String: JSONValue] = [
            "messages": .array(messages), "maxTokens": .int(request.maxTokens ?? 1024), "includeContext": "none",
        ]
        if !system.isEmpty { params["systemPrompt"] = .string(system) }
        if let temperature = request.temperature { params["temperature"] = .double(temperature) }
        if !request.stop.isEmpty { params["stopSequences"] = .array(request.stop.map { .string($0) }) }
        let result: JSONValue
        do {
            result = try await sample(.object(params))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw LLMError.unreachable(model: name, reason: "the client did not sample: \(error)")
        }
        // One content block, or (newer revisions) a list of them.
        let blocks = result["content"]?.arrayValue ?? [result["content"] ?? .null]
        let texts = blocks.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }
        guard !texts.isEmpty else {
            throw LLMError.malformedReply(model: name, reason: "the client's sampling result has no text content")
        }
        let text = texts.joined()
        onToken?(text)
        let promptText = prepared.messages.map(\.content).joined()
        let reply = ChatReply(
            content: text, finishReason: result["stopReason"]?.stringValue,
            usage: TokenUsage(promptTokens: TokenUsage.estimate(promptText), completionTokens: TokenUsage.estimate(text), estimated: true),
            model: result["model"]?.stringValue.map { "\(name) (\($0.prefix(80)))" } ?? name)
        return ToolCallShim.applied(to: reply)
    }

    public func contextWindow() async -> Int? { nil }

    public func check() async throws -> String { "the MCP client's model, through sampling" }
}

/// A model that can hold a conversation: a local server, a hosted API, or the MCP client's own model.
public protocol ChatModel: Sendable {
    /// The configured name (`local`, `hosted`, `client`), as runs record it.
    var name: String { get }
    /// Whether tools go in the API's tools field or are described in the prompt (see ``ToolCallShim``).
    var nativeTools: Bool { get }

    /// One turn. Tokens are handed to `onToken` as they arrive when the provider streams.
    /// - Throws: ``LLMError``.
    func complete(_ request: ChatRequest, onToken: (@Sendable (String) -> Void)?) async throws -> ChatReply

    /// The context window in tokens, from configuration or the server; nil when neither says.
    func contextWindow() async -> Int?

    /// Whether the server answers and serves the configured model, for `fathom doctor`; costs no tokens.
    /// - Returns: what was found, in words.
    /// - Throws: ``LLMError`` when the server is down or refuses.
    func check() async throws -> String
}

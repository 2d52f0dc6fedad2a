import AsyncHTTPClient
import FathomCore
import FathomTools

/// The Anthropic Messages API (`/v1/messages`): key in `x-api-key`, the system prompt apart from the turns, tool calls
/// as `tool_use` blocks and their results as `tool_result` blocks in the next user turn, streams as typed events.
public final class AnthropicModel: EndpointModel {
    public static let apiVersion = "2023-06-01"
    /// Claude models' window when none is configured; the API has no endpoint that says.
    public static let defaultWindow = 200_000

    let endpoint: ModelEndpoint

    public init(_ settings: FathomConfig.Model, http: HTTPClient = OutboundHTTP.failFastClient) throws {
        endpoint = try ModelEndpoint(settings, http: http)
    }

    private var headers: [(String, String)] {
        [("anthropic-version", Self.apiVersion)] + (settings.apiKey.map { [("x-api-key", $0)] } ?? [])
    }

    public func complete(_ request: ChatRequest, onToken: (@Sendable (String) -> Void)?) async throws -> ChatReply {
        let prepared = endpoint.prepared(request)
        let body = AnthropicWire.requestBody(prepared, model: settings.model, stream: onToken != nil)
        return try await endpoint.chat(
            "/v1/messages", body: body, headers: headers, onToken: onToken, whole: AnthropicWire.readReply, streamed: AnthropicWire.readStream)
    }

    public func contextWindow() async -> Int? { settings.contextWindow ?? Self.defaultWindow }

    public func check() async throws -> String {
        let models = try await endpoint.json("/v1/models", headers: headers)
        let ids = (models["data"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
        let served = ids.contains(settings.model) ? "serves \(settings.model)" : "does not list \(settings.model) (it lists \(ids.prefix(5).joined(separator: ", ")))"
        return served + "; context \(await contextWindow() ?? Self.defaultWindow) tokens" + (settings.contextWindow == nil ? " (Claude's)" : " (configured)")
    }
}

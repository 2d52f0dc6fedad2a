import AsyncHTTPClient
import FathomCore
import FathomTools

/// `/v1/chat/completions` as OpenAI defined it and vLLM, llama.cpp, LM Studio and most hosted APIs serve it.
public final class OpenAICompatibleModel: EndpointModel {
    let endpoint: ModelEndpoint

    public init(_ settings: FathomConfig.Model, http: HTTPClient = OutboundHTTP.failFastClient) throws {
        endpoint = try ModelEndpoint(settings, http: http)
    }

    public func complete(_ request: ChatRequest, onToken: (@Sendable (String) -> Void)?) async throws -> ChatReply {
        let prepared = endpoint.prepared(request)
        let body = OpenAIWire.requestBody(prepared, model: settings.model, nativeTools: nativeTools, stream: onToken != nil)
        return try await endpoint.chat(
            "/v1/chat/completions", body: body, onToken: onToken, whole: OpenAIWire.readReply, streamed: OpenAIWire.readStream)
    }

    public func contextWindow() async -> Int? {
        await endpoint.contextWindow(detect: detectWindow)
    }

    public func check() async throws -> String {
        let models = try await endpoint.json("/v1/models")
        let ids = (models["data"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
        var text = ids.contains(settings.model) || ids.isEmpty
            ? "serves \(settings.model)" : "does not list \(settings.model) (it lists \(ids.prefix(5).joined(separator: ", ")))"
        if let window = await contextWindow() {
            text += "; context \(window) tokens" + (settings.contextWindow == nil ? " (detected)" : " (configured)")
        } else {
            text += "; context window unknown (set context_window)"
        }
        return text
    }

    /// llama.cpp reports `n_ctx` in `/props`; vLLM reports `max_model_len` per model in `/v1/models`.
    private func detectWindow() async -> (answered: Bool, window: Int?) {
        if let props = try? await endpoint.json("/props"),
            let size = props["default_generation_settings"]?["n_ctx"]?.intValue ?? props["n_ctx"]?.intValue, size > 0
        {
            return (true, size)
        }
        guard let models = try? await endpoint.json("/v1/models") else { return (false, nil) }
        let list = models["data"]?.arrayValue ?? []
        let entry = list.first { $0["id"]?.stringValue == settings.model } ?? list.first
        // vLLM says max_model_len; newer llama.cpp builds also say meta.n_ctx.
        let size = entry?["max_model_len"]?.intValue ?? entry?["meta"]?["n_ctx"]?.intValue
        return (true, size.flatMap { $0 > 0 ? $0 : nil })
    }
}

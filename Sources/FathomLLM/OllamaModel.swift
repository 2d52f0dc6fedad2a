import AsyncHTTPClient
import FathomCore
import FathomTools

/// Ollama's native API: `/api/chat` (NDJSON when streaming), `/api/show` for the context window, `/api/tags` for
/// `doctor`. Native rather than Ollama's `/v1` because only here can `num_ctx` be set: without it Ollama cuts every
/// prompt to its small default window, silently.
public final class OllamaModel: EndpointModel {
    /// The window asked for when none is configured: the model's own, at most this, so a 128k model does not make
    /// Ollama allocate a 128k-token cache on a laptop.
    public static let defaultMaxWindow = 8192

    let endpoint: ModelEndpoint

    public init(_ settings: FathomConfig.Model, http: HTTPClient = OutboundHTTP.failFastClient) throws {
        endpoint = try ModelEndpoint(settings, http: http)
    }

    public func complete(_ request: ChatRequest, onToken: (@Sendable (String) -> Void)?) async throws -> ChatReply {
        let prepared = endpoint.prepared(request)
        let window = await contextWindow()
        let body = OllamaWire.requestBody(prepared, model: settings.model, numCtx: window, stream: onToken != nil)
        return try await endpoint.chat("/api/chat", body: body, onToken: onToken, whole: OllamaWire.readReply, streamed: OllamaWire.readStream)
    }

    /// The configured window; else the Modelfile's `num_ctx`; else the model's own (`/api/show`), capped at
    /// ``defaultMaxWindow``. This is also the `num_ctx` every request asks for, so the budget and the server agree.
    public func contextWindow() async -> Int? {
        await endpoint.contextWindow {
            guard let show = try? await endpoint.json("/api/show", body: ["model": .string(settings.model)]) else { return (false, nil) }
            return (true, Self.modelfileWindow(show) ?? Self.trainedWindow(show).map { min($0, Self.defaultMaxWindow) })
        }
    }

    /// `num_ctx` in the Modelfile's parameters (`"num_ctx                        16384\nstop …"`).
    static func modelfileWindow(_ show: JSONValue) -> Int? {
        let lines = show["parameters"]?.stringValue?.split(separator: "\n") ?? []
        return lines.lazy.compactMap { line -> Int? in
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            return words.count == 2 && words[0] == "num_ctx" ? Int(words[1]) : nil
        }.first
    }

    /// `model_info["<architecture>.context_length"]`.
    static func trainedWindow(_ show: JSONValue) -> Int? {
        guard let info = show["model_info"]?.objectValue else { return nil }
        if let architecture = info["general.architecture"]?.stringValue, let size = info[architecture + ".context_length"]?.intValue {
            return size
        }
        return info.first { $0.key.hasSuffix(".context_length") }?.value.intValue
    }

    public func check() async throws -> String {
        let tags = try await endpoint.json("/api/tags")
        let names = (tags["models"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        let wanted = settings.model.contains(":") ? settings.model : settings.model + ":latest"
        guard names.contains(wanted) || names.contains(settings.model) else {
            throw LLMError.http(
                model: name, status: 404,
                message: "Ollama has no model \(settings.model) (it has \(names.prefix(5).joined(separator: ", "))); run `ollama pull \(settings.model)`")
        }
        let window = await contextWindow()
        return "serves \(settings.model); context \(window.map(String.init) ?? "unknown") tokens"
            + (settings.contextWindow == nil ? " (from /api/show)" : " (configured)")
    }
}

import AsyncHTTPClient
import FathomCore
import FathomTools
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// `/v1/chat/completions` as OpenAI defined it and vLLM, llama.cpp, LM Studio and most hosted APIs serve it.
public final class OpenAICompatibleModel: ChatModel {
    /// A reply body larger than this is refused: no sane completion is 8 MiB.
    public static let maxReplyBytes = 8 * 1024 * 1024

    public let settings: FathomConfig.Model
    private let root: String
    private let tls: TLSConfiguration?
    private let http: HTTPClient
    private let detectedWindow = Mutex<Int??>(nil)

    public var name: String { settings.name }
    public var nativeTools: Bool { settings.toolMode == .native }

    public init(_ settings: FathomConfig.Model, http: HTTPClient = LLMHTTP.client) throws {
        self.settings = settings
        self.root = settings.url.hasSuffix("/v1") ? String(settings.url.dropLast(3)) : settings.url
        self.tls = try OutboundHTTP.tlsConfiguration(settings.tls)
        self.http = http
    }

    public func complete(_ request: ChatRequest, onToken: (@Sendable (String) -> Void)?) async throws -> ChatReply {
        let prepared = nativeTools ? request : ToolCallShim.promptTools(request)
        let body = OpenAIWire.requestBody(prepared, model: settings.model, nativeTools: nativeTools, stream: onToken != nil)
        let reply = try await LLMDeadline.run(seconds: settings.timeoutSeconds, timeout: LLMError.timedOut(model: name, seconds: settings.timeoutSeconds)) {
            let response = try await self.send("/v1/chat/completions", body: body)
            return if let onToken {
                try await OpenAIWire.readStream(response.body, model: self.name, onToken: onToken)
            } else {
                try OpenAIWire.readReply(try await self.collect(response.body), model: self.name)
            }
        }
        return ToolCallShim.applied(to: reply)
    }

    public func contextWindow() async -> Int? {
        if let configured = settings.contextWindow { return configured }
        if let known = detectedWindow.withLock({ $0 }) { return known }
        let found = await detectWindow()
        detectedWindow.withLock { $0 = .some(found) }
        return found
    }

    public func check() async throws -> String {
        let models = try await getJSON("/v1/models")
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
    private func detectWindow() async -> Int? {
        if let props = try? await getJSON("/props"),
            let size = props["default_generation_settings"]?["n_ctx"]?.intValue ?? props["n_ctx"]?.intValue, size > 0
        {
            return size
        }
        if let models = try? await getJSON("/v1/models"), let list = models["data"]?.arrayValue {
            let entry = list.first { $0["id"]?.stringValue == settings.model } ?? list.first
            // vLLM says max_model_len; newer llama.cpp builds also say meta.n_ctx.
            if let size = entry?["max_model_len"]?.intValue ?? entry?["meta"]?["n_ctx"]?.intValue, size > 0 { return size }
        }
        return nil
    }

    private func getJSON(_ path: String) async throws -> JSONValue {
        try await LLMDeadline.run(seconds: min(settings.timeoutSeconds, 10), timeout: LLMError.timedOut(model: name, seconds: 10)) {
            let response = try await self.send(path, body: nil)
            return try JSONParser.parse(try await self.collect(response.body))
        }
    }

    /// Sends one request; a status other than 2xx is thrown as ``LLMError/http(model:status:message:)`` with the
    /// server's own error message.
    private func send(_ path: String, body: [UInt8]?) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: root + path)
        request.tlsConfiguration = tls
        request.headers.add(name: "User-Agent", value: OutboundHTTP.userAgent)
        if let body {
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        if let key = settings.apiKey { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        for (header, value) in settings.headers { request.headers.replaceOrAdd(name: header, value: value) }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(Int64(settings.timeoutSeconds.rounded(.up))))
        } catch {
            throw LLMFailure.classify(error, model: name, url: root, seconds: settings.timeoutSeconds)
        }
        guard (200..<300).contains(response.status.code) else {
            let text = (try? await collect(response.body, limit: 64 * 1024)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            throw LLMError.http(
                model: name, status: Int(response.status.code),
                message: LLMFailure.serverMessage(text), retryAfter: response.headers.first(name: "Retry-After").flatMap(Double.init))
        }
        return response
    }

    private func collect(_ body: HTTPClientResponse.Body, limit: Int = maxReplyBytes) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            for try await chunk in body {
                guard bytes.count + chunk.readableBytes <= limit else {
                    throw LLMError.malformedReply(model: name, reason: "the reply is larger than \(limit) bytes")
                }
                bytes.append(contentsOf: chunk.readableBytesView)
            }
        } catch let error as LLMError {
            throw error
        } catch {
            throw LLMFailure.classify(error, model: name, url: root, seconds: settings.timeoutSeconds)
        }
        return bytes
    }
}

import AsyncHTTPClient
import FathomCore
import FathomTools
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// One model server's HTTP side, shared by the providers: requests with the configured key, headers and TLS; errors
/// worded as ``LLMError`` with the server's own message; bodies read within a bound.
final class ModelEndpoint: Sendable {
    /// A reply body larger than this is refused: no sane completion is 8 MiB.
    static let maxReplyBytes = 8 * 1024 * 1024

    let settings: FathomConfig.Model
    /// The base URL without a trailing `/v1`.
    let root: String
    let tls: TLSConfiguration?
    let http: HTTPClient
    private let detected = Mutex<Int??>(nil)

    init(_ settings: FathomConfig.Model, http: HTTPClient) throws {
        self.settings = settings
        self.root = settings.url.hasSuffix("/v1") ? String(settings.url.dropLast(3)) : settings.url
        self.tls = try OutboundHTTP.tlsConfiguration(settings.tls)
        self.http = http
    }

    var name: String { settings.name }

    var nativeTools: Bool { settings.toolMode == .native }

    /// The request as this model takes it: tools in the prompt when it has no tool support (`tool_mode: prompt`), and
    /// the reply capped at its `max_output_tokens`.
    func prepared(_ request: ChatRequest) -> ChatRequest {
        var copy = nativeTools ? request : ToolCallShim.promptTools(request)
        copy.maxTokens = min(request.maxTokens ?? settings.maxOutputTokens, settings.maxOutputTokens)
        return copy
    }

    /// The configured window, else what `detect` found, remembered once the server answered: a server that is down
    /// when first asked is asked again next time.
    /// - Parameter detect: whether the server answered, and the window it reported.
    func contextWindow(detect: () async -> (answered: Bool, window: Int?)) async -> Int? {
        if let configured = settings.contextWindow { return configured }
        if let known = detected.withLock({ $0 }) { return known }
        let (answered, window) = await detect()
        if answered { detected.withLock { $0 = .some(window) } }
        return window
    }

    /// Sends one request; a status other than 2xx is thrown as ``LLMError/http(model:status:message:retryAfter:)``.
    /// - Parameter headers: the provider's own headers; when they carry the key, no `Authorization` is added.
    func send(_ path: String, body: [UInt8]?, headers: [(String, String)] = []) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: root + path)
        request.tlsConfiguration = tls
        request.headers.add(name: "User-Agent", value: OutboundHTTP.userAgent)
        if let body {
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        if headers.isEmpty, let key = settings.apiKey { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
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
                model: name, status: Int(response.status.code), message: LLMFailure.serverMessage(text),
                retryAfter: response.headers.first(name: "Retry-After").flatMap(Double.init))
        }
        return response
    }

    func collect(_ body: HTTPClientResponse.Body, limit: Int = maxReplyBytes) async throws -> [UInt8] {
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

    /// A JSON request with a short deadline, for discovery (`/props`, `/api/show`).
    func json(_ path: String, body: JSONValue? = nil, headers: [(String, String)] = []) async throws -> JSONValue {
        let seconds = min(settings.timeoutSeconds, 10)
        return try await Deadline.run(seconds: seconds, timeout: LLMError.timedOut(model: name, seconds: seconds)) {
            let response = try await self.send(path, body: body.map { JSONWriter.write($0) }, headers: headers)
            return try JSONParser.parse(try await self.collect(response.body))
        }
    }

    /// One chat call within the model's timeout, streaming included: POST `body` to `path`, then read the reply
    /// whole or as a stream, and move tool calls written as text into the reply's calls.
    func chat(
        _ path: String, body: [UInt8], headers: [(String, String)] = [], onToken: (@Sendable (String) -> Void)?,
        whole: @escaping @Sendable ([UInt8], String) throws -> ChatReply,
        streamed: @escaping @Sendable (HTTPClientResponse.Body, String, @escaping @Sendable (String) -> Void) async throws -> ChatReply
    ) async throws -> ChatReply {
        let reply = try await Deadline.run(seconds: settings.timeoutSeconds, timeout: LLMError.timedOut(model: name, seconds: settings.timeoutSeconds)) {
            let response = try await self.send(path, body: body, headers: headers)
            if let onToken { return try await streamed(response.body, self.name, onToken) }
            return try whole(try await self.collect(response.body), self.name)
        }
        return ToolCallShim.applied(to: reply)
    }
}

/// A provider over one ``ModelEndpoint``: its name, settings and tool mode come from there.
protocol EndpointModel: ChatModel {
    var endpoint: ModelEndpoint { get }
}

extension EndpointModel {
    public var settings: FathomConfig.Model { endpoint.settings }
    public var name: String { endpoint.name }
    public var nativeTools: Bool { endpoint.nativeTools }
}

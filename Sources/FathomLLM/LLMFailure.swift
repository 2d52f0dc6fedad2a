import AsyncHTTPClient
import FathomCore
import NIOCore
import NIOSSL

/// A reply that arrives as Server-Sent Events, put together event by event.
protocol StreamAccumulating {
    /// Set once the stream said its reply is complete.
    var done: Bool { get }
    mutating func add(_ data: String, onToken: (String) -> Void) throws
}

extension StreamAccumulating {
    /// Feeds every event of `body` to the accumulator until it is done or the body ends.
    mutating func read(_ body: HTTPClientResponse.Body, model: String, onToken: (String) -> Void) async throws {
        var parser = ServerSentEventParser()
        do {
            for try await chunk in body {
                for data in try parser.feed(chunk.readableBytesView) {
                    try add(data, onToken: onToken)
                    if done { return }
                }
            }
            if let data = parser.finish() { try add(data, onToken: onToken) }
        } catch {
            throw LLMFailure.streamFailure(error, model: model)
        }
    }
}

/// Turns transport errors into ``LLMError`` and runs calls against a deadline.
enum LLMFailure {
    static func classify(_ error: any Error, model: String, url: String, seconds: Double) -> any Error {
        if error is CancellationError { return error }
        if let error = error as? LLMError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout: return LLMError.timedOut(model: model, seconds: seconds)
            case .connectTimeout: return LLMError.unreachable(model: model, reason: "connecting to \(url) timed out")
            case .remoteConnectionClosed: return LLMError.unreachable(model: model, reason: "\(url) closed the connection")
            case .cancelled: return CancellationError()
            default: break
            }
        }
        let text = String(describing: error)
        if error is NIOSSLError || text.contains("BoringSSL") || text.contains("sslError") {
            return LLMError.unreachable(model: model, reason: "TLS with \(url) failed: \(text.prefix(200))")
        }
        if text.localizedCaseInsensitiveContains("refused") {
            return LLMError.unreachable(model: model, reason: "connection to \(url) refused")
        }
        return LLMError.unreachable(model: model, reason: "\(url): \(text.prefix(200))")
    }

    /// What went wrong while a reply streamed: the server answered, so a broken body is an incomplete reply, not an
    /// unreachable server.
    static func streamFailure(_ error: any Error, model: String) -> any Error {
        if error is LLMError || error is CancellationError { return error }
        if let error = error as? ServerSentEventParser.LineTooLong { return LLMError.malformedReply(model: model, reason: error.description) }
        return LLMError.malformedReply(
            model: model, reason: "the stream broke off before the reply was complete (\(String(describing: error).prefix(120)))")
    }

    /// The `error.message` of an OpenAI-style error body (or Ollama's `error` string), else the body's start.
    static func serverMessage(_ body: String) -> String {
        if let value = try? JSONParser.parse(body) {
            if let message = value["error"]?["message"]?.stringValue ?? value["error"]?.stringValue ?? value["message"]?.stringValue {
                return String(message.prefix(500))
            }
        }
        return String(body.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300))
    }
}

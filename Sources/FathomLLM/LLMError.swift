/// Why a model call failed, worded for the person reading the run.
public enum LLMError: Error, CustomStringConvertible, Equatable {
    /// Connection refused, DNS, TLS: the server is not there.
    case unreachable(model: String, reason: String)
    case timedOut(model: String, seconds: Double)
    /// The server answered with an error status.
    /// `retryAfter` is the server's Retry-After, in seconds.
    case http(model: String, status: Int, message: String, retryAfter: Double? = nil)
    /// The server's reply is not what the API promises.
    case malformedReply(model: String, reason: String)
    case malformedToolCall(name: String, reason: String)
    /// The model failed too often lately and is rested until the breaker closes.
    case circuitOpen(model: String, seconds: Int)
    case noModel
    /// Every model in the chain failed; each reason in the order tried.
    case allFailed([String])

    public var description: String {
        switch self {
        case .unreachable(let model, let reason): "model '\(model)' is unreachable: \(reason)"
        case .timedOut(let model, let seconds): "model '\(model)' did not answer within \(Int(seconds)) s"
        case .http(let model, let status, let message, _):
            "model '\(model)' answered HTTP \(status)" + (message.isEmpty ? "" : ": \(message)")
        case .malformedReply(let model, let reason): "model '\(model)' sent a malformed reply: \(reason)"
        case .malformedToolCall(let name, let reason): "the model's call of \(name) is malformed: \(reason)"
        case .circuitOpen(let model, let seconds):
            "model '\(model)' is skipped for \(seconds) s more after repeated failures"
        case .allFailed(let reasons): reasons.joined(separator: "; ")
        case .noModel: "no model is configured (set llm.url or FATHOM_LLM_URL, or llm.models in fathom.yaml)"
        }
    }

    /// Whether trying the same model again may help: overload, server errors and dropped connections.
    public var isRetryable: Bool {
        switch self {
        case .unreachable: true
        // A model too slow once is as slow again: the router moves on instead.
        case .timedOut: false
        case .http(_, let status, _, _): status == 429 || status == 408 || status >= 500
        default: false
        }
    }
}

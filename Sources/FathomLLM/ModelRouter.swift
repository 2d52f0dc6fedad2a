import FathomCore
import Foundation
import Synchronization

/// Picks the model for each call: the agent's preference first, then the configured fallback chain. A model that
/// fails is retried with backoff when that may help (429, 5xx, a dropped connection), then the next is tried;
/// each model has a ``CircuitBreaker`` so a dead one costs nothing until it may be back.
public final class ModelRouter: Sendable {
    public struct Slot: Sendable {
        public let model: any ChatModel
        public let breaker: CircuitBreaker
    }

    /// One model's health, for `doctor` and `list_agents`.
    public struct Health: Sendable, Equatable {
        public var name: String
        public var state: CircuitBreaker.State
        public var lastError: String?
    }

    public let slots: [Slot]
    private let retries: Int
    private let backoff: Duration

    /// - Parameters:
    ///   - models: in fallback order.
    ///   - backoff: the first retry's wait; each next one doubles it.
    public init(models: [any ChatModel], retries: Int, breakerFailures: Int, breakerCooldown: Duration, backoff: Duration = .milliseconds(500)) {
        slots = models.map { Slot(model: $0, breaker: CircuitBreaker(threshold: breakerFailures, cooldown: breakerCooldown)) }
        self.retries = retries
        self.backoff = backoff
    }

    /// The models of `settings`, in fallback order; `extra` (the MCP client's model) goes last.
    /// - Throws: for TLS settings that cannot be loaded.
    public convenience init(_ settings: FathomConfig.LLMSettings, extra: [any ChatModel] = []) throws {
        let models: [any ChatModel] = try settings.ordered.map { model in
            switch model.provider {
            case .openai: return try OpenAICompatibleModel(model)
            case .ollama: return try OllamaModel(model)
            case .anthropic: return try AnthropicModel(model)
            }
        }
        self.init(
            models: models + extra, retries: settings.retries, breakerFailures: settings.breakerFailures,
            breakerCooldown: .seconds(settings.breakerCooldownSeconds))
    }

    public var isEmpty: Bool { slots.isEmpty }

    public var health: [Health] { slots.map { Health(name: $0.model.name, state: $0.breaker.state, lastError: $0.breaker.lastError) } }

    /// The slots in the order a call with this preference tries them.
    public func order(preferring names: [String]) -> [Slot] {
        let preferred = names.compactMap { name in slots.first { $0.model.name == name } }
        return preferred + slots.filter { slot in !preferred.contains { $0.model.name == slot.model.name } }
    }

    /// One turn on the first model that answers.
    /// - Parameter onToken: streamed tokens. Once a model has streamed any, it is not retried, so no token is said twice.
    /// - Throws: ``LLMError/noModel``, or ``LLMError/allFailed(_:)`` with each model's reason.
    public func complete(
        _ request: ChatRequest, preferring names: [String] = [], onToken: (@Sendable (String) -> Void)? = nil
    ) async throws -> ChatReply {
        guard !slots.isEmpty else { throw LLMError.noModel }
        var reasons: [String] = []
        for slot in order(preferring: names) {
            if case .open(let seconds) = slot.breaker.state {
                reasons.append(LLMError.circuitOpen(model: slot.model.name, seconds: seconds).description)
                continue
            }
            var attempt = 0
            while true {
                let streamed = StreamedFlag()
                let relay = onToken.map { streamed.relay($0) }
                do {
                    let reply = try await slot.model.complete(request, onToken: relay)
                    slot.breaker.recordSuccess()
                    return reply
                } catch let error as LLMError {
                    try Task.checkCancellation()
                    if error.isRetryable && attempt < retries && !streamed.value {
                        attempt += 1
                        try await Task.sleep(for: wait(attempt: attempt, error: error))
                        continue
                    }
                    slot.breaker.recordFailure(error.description)
                    reasons.append(error.description + (attempt > 0 ? " (after \(attempt + 1) tries)" : ""))
                    // Tokens already shown belong to a reply that will not finish: say so rather than start another.
                    if streamed.value { throw LLMError.allFailed(reasons) }
                    break
                }
            }
        }
        throw LLMError.allFailed(reasons)
    }

    /// Exponential backoff, or the server's Retry-After when it names a wait of up to a minute.
    private func wait(attempt: Int, error: LLMError) -> Duration {
        if case .http(_, _, _, let retryAfter?) = error, retryAfter >= 0, retryAfter <= 60 { return .seconds(retryAfter) }
        return backoff * (1 << min(attempt - 1, 6))
    }
}

/// Whether a stream produced any token; set from the stream's task, read after it.
final class StreamedFlag: Sendable {
    private let flag = Synchronization.Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .relaxed) }
    var value: Bool { flag.load(ordering: .relaxed) }

    /// `onToken`, marking this flag on the way.
    func relay(_ onToken: @escaping @Sendable (String) -> Void) -> @Sendable (String) -> Void {
        { token in
            self.set()
            onToken(token)
        }
    }
}

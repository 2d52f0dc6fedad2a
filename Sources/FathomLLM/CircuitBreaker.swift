import Synchronization

/// Rests a model that keeps failing: after `threshold` failures in a row it is skipped for `cooldown`, then one
/// call is let through to try it again.
public final class CircuitBreaker: Sendable {
    public enum State: Sendable, Equatable {
        case closed
        /// Skipped for this many more seconds.
        case open(seconds: Int)
        /// The cooldown is over; the next call tries the model.
        case halfOpen
    }

    private struct Memory {
        var failures = 0
        var openUntil: ContinuousClock.Instant?
        var lastError: String?
    }

    public let threshold: Int
    public let cooldown: Duration
    private let memory = Mutex(Memory())

    public init(threshold: Int, cooldown: Duration) {
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
    }

    public var state: State {
        memory.withLock { memory in
            guard let until = memory.openUntil else { return .closed }
            let left = until - .now
            return left > .zero ? .open(seconds: max(1, Int(left.components.seconds))) : .halfOpen
        }
    }

    public var lastError: String? { memory.withLock { $0.lastError } }

    public func recordSuccess() {
        memory.withLock { $0 = Memory() }
    }

    public func recordFailure(_ error: String) {
        memory.withLock { memory in
            memory.failures += 1
            memory.lastError = error
            if memory.failures >= threshold { memory.openUntil = .now + cooldown }
        }
    }
}

import Dispatch
import Foundation
import Synchronization

/// One server-sent-event stream of an HTTP session: its messages, numbered, in a bounded buffer.
///
/// Messages are appended whether or not a client is connected, and a reader takes them in order.
/// When a connection drops, the messages keep arriving here; a client that reconnects with
/// `Last-Event-ID` gets everything after that id. The buffer holds at most ``maxEvents`` messages
/// and ``maxBytes`` bytes; past that the oldest go, and a resume from before them is refused
/// rather than silently missing messages.
public final class EventStream: Sendable {
    /// The stream's number within its session; event ids are `"<stream>-<sequence>"`.
    public let number: Int
    let maxEvents: Int
    let maxBytes: Int

    public struct Event: Sendable {
        public let sequence: Int
        /// The JSON-RPC message, or empty for the priming event that carries only an id.
        public let data: Data
    }

    private struct State {
        var events: [Event] = []
        /// Index of the oldest kept event in `events` (trimmed lazily, so appends stay O(1)).
        var head = 0
        var bytes = 0
        var nextSequence = 1
        var finished = false
        /// Bumped by every attach, so a superseded reader stops.
        var reader = 0
        /// The newest sequence a reader has handed to a connection; a new stream without
        /// `Last-Event-ID` starts after it.
        var delivered = 0
        var waiting: (reader: Int, token: Int, continuation: CheckedContinuation<Void, Never>)?
        var waitTokens = 0
    }

    private let state = Mutex(State())

    public init(number: Int, maxEvents: Int = 1024, maxBytes: Int = 4 << 20) {
        self.number = number
        self.maxEvents = maxEvents
        self.maxBytes = maxBytes
    }

    /// Adds a message and wakes the reader. Ignored once the stream is finished.
    public func append(_ data: Data) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.finished else { return nil }
            state.events.append(Event(sequence: state.nextSequence, data: data))
            state.nextSequence += 1
            state.bytes += data.count
            while state.events.count - state.head > maxEvents || (state.bytes > maxBytes && state.events.count - state.head > 1) {
                state.bytes -= state.events[state.head].data.count
                state.head += 1
            }
            if state.head > 256 && state.head * 2 > state.events.count {
                state.events.removeFirst(state.head)
                state.head = 0
            }
            return Self.takeWaiter(&state)
        }
        waiter?.resume()
    }

    /// No more messages will come; the reader ends after the last one.
    public func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.finished = true
            return Self.takeWaiter(&state)
        }
        waiter?.resume()
    }

    public var isFinished: Bool { state.withLock { $0.finished } }

    /// Ends the current reader without finishing the stream: its messages stay for a client that resumes
    /// (server shutdown, or a connection being replaced).
    public func interrupt() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.reader += 1
            return Self.takeWaiter(&state)
        }
        waiter?.resume()
    }

    /// The sequence number of the newest message; a new reader starting here sees only what comes next.
    public var lastSequence: Int { state.withLock { $0.nextSequence - 1 } }

    /// Every message appended so far reached a connection.
    public var isFullyDelivered: Bool { state.withLock { $0.delivered >= $0.nextSequence - 1 } }

    /// The oldest message still buffered (or the next to come, when none is).
    public var oldestSequence: Int {
        state.withLock { $0.head < $0.events.count ? $0.events[$0.head].sequence : $0.nextSequence }
    }

    /// Makes a new reader the stream's only one; an earlier reader ends at its next wait.
    /// - Parameter after: the last sequence the client saw; nil to start after what was last delivered.
    /// - Returns: nil when messages after `after` have already left the buffer, or `after` names a
    ///   message that was never sent (a client cannot skip ahead, and huge numbers must not overflow).
    public func attach(after: Int?) -> Reader? {
        let attached = state.withLock { state -> (Int, Int, CheckedContinuation<Void, Never>?)? in
            if let after {
                guard after >= 0, after < state.nextSequence else { return nil }
                if state.head < state.events.count, after < state.events[state.head].sequence - 1 { return nil }
            }
            state.reader += 1
            return (state.reader, after ?? state.delivered, Self.takeWaiter(&state))
        }
        guard let (reader, position, waiter) = attached else { return nil }
        waiter?.resume()
        return Reader(stream: self, reader: reader, position: position)
    }

    private static func takeWaiter(_ state: inout State) -> CheckedContinuation<Void, Never>? {
        defer { state.waiting = nil }
        return state.waiting?.continuation
    }

    /// Takes the stream's messages in order, waiting for new ones, until the stream finishes, another
    /// reader attaches, or the task is cancelled.
    public struct Reader: Sendable {
        public let stream: EventStream
        let reader: Int
        var position: Int

        public enum Next: Sendable {
            case event(Event)
            /// Nothing arrived for the heartbeat interval; a transport writes a keep-alive.
            case idle
        }

        /// The next message, `.idle` after `heartbeat` without one, or nil when this reader is done.
        public mutating func next(heartbeat: Duration? = nil) async -> Next? {
            while !Task.isCancelled {
                switch stream.take(after: position, reader: reader) {
                case .event(let event):
                    position = event.sequence
                    return .event(event)
                case .done:
                    return nil
                case .wait:
                    if await stream.wait(reader: reader, after: position, timeout: heartbeat) { return .idle }
                }
            }
            return nil
        }

        /// Records that the last event returned reached the connection.
        public func delivered() {
            stream.state.withLock { $0.delivered = max($0.delivered, position) }
        }
    }

    private enum Take {
        case event(Event)
        case wait
        case done
    }

    private func take(after position: Int, reader: Int) -> Take {
        state.withLock { state in
            guard state.reader == reader else { return .done }
            let oldest = state.head < state.events.count ? state.events[state.head].sequence : state.nextSequence
            // position < nextSequence always (attach checks it), so this cannot overflow.
            let wanted = max(position + 1, oldest)
            if wanted < state.nextSequence {
                return .event(state.events[state.head + (wanted - oldest)])
            }
            return state.finished ? .done : .wait
        }
    }

    /// - Returns: true when `timeout` passed with nothing new.
    private func wait(reader: Int, after position: Int, timeout: Duration?) async -> Bool {
        let timedOut = Mutex(false)
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let token = state.withLock { state -> Int? in
                    // Re-checked under the lock: an append between take() and here must not be missed.
                    if state.reader != reader || state.finished || state.nextSequence - 1 > position || Task.isCancelled {
                        return nil
                    }
                    state.waiting?.continuation.resume()
                    state.waitTokens += 1
                    state.waiting = (reader, state.waitTokens, continuation)
                    return state.waitTokens
                }
                guard let token else {
                    continuation.resume()
                    return
                }
                if let timeout {
                    DispatchQueue.global().asyncAfter(deadline: .now() + timeout.timeInterval) { [weak self] in
                        let waiter = self?.state.withLock { state -> CheckedContinuation<Void, Never>? in
                            guard state.waiting?.token == token else { return nil }
                            return Self.takeWaiter(&state)
                        }
                        if let waiter {
                            timedOut.withLock { $0 = true }
                            waiter.resume()
                        }
                    }
                }
            }
        } onCancel: {
            let waiter = state.withLock { Self.takeWaiter(&$0) }
            waiter?.resume()
        }
        return timedOut.withLock { $0 }
    }
}

extension Duration {
    /// For Dispatch deadlines.
    var timeInterval: DispatchTimeInterval {
        let (seconds, attoseconds) = components
        return .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }
}

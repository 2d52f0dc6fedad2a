import Foundation
import Synchronization

/// The answer to one HTTP POST that carried a request: plain JSON when the reply is ready before
/// anything else needs saying, otherwise an SSE stream that carries the request's notifications
/// (progress, log messages) and then its reply.
///
/// A reply that takes longer than `streamAfter` also switches to a stream, with a priming event, so a
/// client whose connection drops during a long tool call can resume it with `Last-Event-ID`.
public final class PostExchange: ReplyChannel {
    public enum Outcome: Sendable {
        case json(Data)
        /// Nothing to send back: the body held only notifications or responses, or the request was cancelled.
        case accepted
        case stream(EventStream)
    }

    private enum State {
        case waiting(CheckedContinuation<Outcome, Never>?)
        case decided(Outcome)
    }

    private let state = Mutex(State.waiting(nil))
    private let canStream: Bool
    private let openStream: @Sendable () -> EventStream

    /// - Parameters:
    ///   - canStream: the client accepts `text/event-stream`; without it notifications are dropped.
    ///   - openStream: makes a stream registered with the session, so it can be resumed.
    public init(canStream: Bool, openStream: @escaping @Sendable () -> EventStream) {
        self.canStream = canStream
        self.openStream = openStream
    }

    public func notify(_ message: Data) {
        guard canStream else { return }
        streamed(priming: false)?.append(message)
    }

    public func reply(_ message: Data) {
        end(.json(message), last: message)
    }

    public func noReply() {
        end(.accepted, last: nil)
    }

    /// The request is over: an undecided exchange becomes `outcome`; a stream gets `last` and finishes.
    private func end(_ outcome: Outcome, last: Data?) {
        let (continuation, stream) = state.withLock { state -> (CheckedContinuation<Outcome, Never>?, EventStream?) in
            switch state {
            case .waiting(let continuation):
                state = .decided(outcome)
                return (continuation, nil)
            case .decided(.stream(let stream)):
                return (nil, stream)
            case .decided:
                return (nil, nil)
            }
        }
        if let stream {
            if let last { stream.append(last) }
            stream.finish()
        }
        continuation?.resume(returning: outcome)
    }

    /// Switches a still-undecided exchange to a stream and returns the stream, if it is one.
    private func streamed(priming: Bool) -> EventStream? {
        var opened: EventStream?
        let (continuation, stream) = state.withLock { state -> (CheckedContinuation<Outcome, Never>?, EventStream?) in
            switch state {
            case .waiting(let continuation):
                let stream = openStream()
                opened = stream
                state = .decided(.stream(stream))
                return (continuation, stream)
            case .decided(.stream(let stream)):
                return (nil, stream)
            case .decided:
                return (nil, nil)
            }
        }
        if priming, let opened { opened.append(Data()) }
        if let continuation, let stream { continuation.resume(returning: .stream(stream)) }
        return stream
    }

    /// Runs `work` after a delay and returns how to cancel it. The server passes its event loop's timer,
    /// so the wait costs no other thread a wake-up.
    public typealias Scheduler = @Sendable (Duration, @escaping @Sendable () -> Void) -> (@Sendable () -> Void)

    /// Waits for the exchange to be decided.
    /// - Parameter streamAfter: switch to a resumable stream if the reply is not ready by then.
    public func outcome(streamAfter: Duration?, scheduler: Scheduler? = nil) async -> Outcome {
        if case .decided(let outcome) = state.withLock({ $0 }) { return outcome }
        var cancelTimer: (@Sendable () -> Void)?
        if canStream, let streamAfter, let scheduler {
            cancelTimer = scheduler(streamAfter) { [weak self] in _ = self?.streamed(priming: true) }
        }
        defer { cancelTimer?() }
        return await withCheckedContinuation { continuation in
            let decided = state.withLock { state -> Outcome? in
                switch state {
                case .waiting:
                    state = .waiting(continuation)
                    return nil
                case .decided(let outcome):
                    return outcome
                }
            }
            if let decided { continuation.resume(returning: decided) }
        }
    }
}

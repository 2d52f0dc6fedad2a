import Foundation
import Synchronization

/// One MCP session over HTTP: the protocol session, its standalone stream (GET), and the recent
/// streams of its POSTs, kept so a dropped connection can resume any of them with `Last-Event-ID`.
public final class HTTPSession: Sendable {
    /// The `Mcp-Session-Id`: 128 random bits, hex.
    public let id: String
    /// Who opened it (a bearer token's client); only the same identity may use it.
    public let identity: String?
    public let mcp: MCPSession
    /// Stream 0: messages that belong to no request (`resources/updated`, requests to the client).
    public let standalone: EventStream

    /// POST streams kept for resumption: finished ones leave once fully delivered, or when newer ones push them out.
    static let keptStreams = 8
    /// A legacy SSE session lives as long as its stream; without one it ends this soon.
    public let isLegacy: Bool

    private struct State {
        var streams: [Int: EventStream] = [:]
        var nextStream = 1
        var lastActivity = ContinuousClock.now
        var busy = 0
    }

    private let state = Mutex(State())

    private let scheduler: PostExchange.Scheduler?

    init(
        id: String, identity: String?, services: @escaping @Sendable () -> MCPServices, scheduler: PostExchange.Scheduler? = nil,
        legacy: Bool = false
    ) {
        self.scheduler = scheduler
        self.isLegacy = legacy
        self.id = id
        self.identity = identity
        let standalone = EventStream(number: 0)
        self.standalone = standalone
        self.mcp = MCPSession(provider: services, sink: StreamSink(stream: standalone), identity: identity)
    }

    /// Hands one POST body to the session.
    /// - Parameter canStream: the client accepts `text/event-stream`.
    /// - Parameter streamAfter: a reply not ready by then comes as a resumable stream (with the table's scheduler).
    public func post(_ body: Data, canStream: Bool, streamAfter: Duration? = .milliseconds(250)) async -> PostExchange.Outcome {
        touch(busy: 1)
        defer { touch(busy: -1) }
        let exchange = PostExchange(canStream: canStream) { [self] in openStream() }
        await mcp.receive(body, channel: exchange)
        return await exchange.outcome(streamAfter: streamAfter, scheduler: scheduler)
    }

    private func openStream() -> EventStream {
        state.withLock { state in
            let stream = EventStream(number: state.nextStream)
            state.nextStream += 1
            state.streams[stream.number] = stream
            if state.streams.count > Self.keptStreams {
                // Forget the oldest finished streams; running ones stay whatever their number.
                for number in state.streams.keys.sorted() where state.streams.count > Self.keptStreams {
                    if state.streams[number]?.isFinished == true { state.streams[number] = nil }
                }
            }
            return stream
        }
    }

    public enum ResumeError: Error, Equatable {
        case malformed
        case unknownStream
        case expired(oldest: Int)
    }

    /// The stream and position a `Last-Event-ID` names.
    /// - Throws: ``ResumeError``.
    public func resume(lastEventID: String) throws -> EventStream.Reader {
        let parts = lastEventID.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, let number = Int(parts[0]), let sequence = Int(parts[1]), number >= 0, sequence >= 0 else {
            throw ResumeError.malformed
        }
        let found: EventStream? = number == 0 ? standalone : state.withLock { $0.streams[number] }
        guard let stream = found else { throw ResumeError.unknownStream }
        guard sequence <= stream.lastSequence else { throw ResumeError.malformed }
        guard let reader = stream.attach(after: sequence) else { throw ResumeError.expired(oldest: stream.oldestSequence) }
        return reader
    }

    /// Marks the session used now; `busy` counts requests and streams in progress, which keep it alive.
    public func touch(busy delta: Int = 0) {
        state.withLock { state in
            state.lastActivity = .now
            state.busy += delta
        }
    }

    /// No request, stream or tool call in progress, and nothing since `deadline`.
    func isIdle(since deadline: ContinuousClock.Instant) -> Bool {
        state.withLock { $0.busy == 0 && $0.lastActivity < deadline } && !mcp.hasRunningCalls
    }

    /// A finished stream whose every event reached the client is not needed for resumption any more.
    public func forgetIfDelivered(_ stream: EventStream) {
        guard stream.number != 0, stream.isFinished, stream.isFullyDelivered else { return }
        state.withLock { _ = $0.streams.removeValue(forKey: stream.number) }
    }

    /// Ends the session: running calls are cancelled and every stream finishes.
    func close() async {
        let streams = state.withLock { state -> [EventStream] in
            defer { state.streams.removeAll() }
            return Array(state.streams.values)
        }
        await mcp.close(grace: .seconds(1))
        standalone.finish()
        for stream in streams { stream.finish() }
    }
}

/// Sends a session's unsolicited messages to its standalone stream.
struct StreamSink: MessageSink {
    let stream: EventStream
    func send(_ message: Data) { stream.append(message) }
}

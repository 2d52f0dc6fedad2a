import FathomCore
import Foundation
import Logging
import MCP
import SystemPackage

/// The SDK's stdio transport, with one change: when the server's output ends (it exited or crashed), the message stream
/// ends with an error instead of finishing. The SDK's `Client` restarts its receive loop on a stream that finished and
/// would spin on the finished stream forever, starving the event loop; an error ends its loop.
actor StdioServerTransport: Transport {
    nonisolated let logger = Logger(label: "fathom.external.stdio")
    private let inner: StdioTransport
    private let server: String
    private let messages: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private var forwarding: Task<Void, Never>?
    /// Why the server's output ended, once it has: later sends fail at once instead of waiting for a reply.
    private var ended: ExternalError?
    private var waiting: [CheckedContinuation<ExternalError, Never>] = []

    init(input: FileDescriptor, output: FileDescriptor, server: String) {
        inner = StdioTransport(input: input, output: output)
        self.server = server
        (messages, continuation) = AsyncThrowingStream.makeStream()
    }

    func connect() async throws {
        try await inner.connect()
        let source = await inner.receive()
        let (continuation, server) = (continuation, server)
        forwarding = Task { [weak self] in
            let ending: any Error
            do {
                for try await message in source { continuation.yield(message) }
                ending = ExternalError.unreachable(server: server, reason: "the server closed its output (it exited)")
            } catch {
                ending = error
            }
            await self?.end(ExternalError.unreachable(server: server, reason: "the server closed its output (it exited)"))
            continuation.finish(throwing: ending)
        }
    }

    func disconnect() async {
        await inner.disconnect()
        forwarding?.cancel()
        continuation.finish(throwing: CancellationError())
    }

    private func end(_ error: ExternalError) {
        ended = error
        for waiter in waiting { waiter.resume(returning: error) }
        waiting = []
    }

    /// Returns once the server's output has ended, with why: a call in flight races this, so it fails when the
    /// server dies instead of waiting for its timeout.
    func end() async -> ExternalError {
        if let ended { return ended }
        return await withCheckedContinuation { waiting.append($0) }
    }

    func send(_ data: Data) async throws {
        if let ended { throw ended }
        try await inner.send(data)
    }

    func receive() -> AsyncThrowingStream<Data, any Error> { messages }
}

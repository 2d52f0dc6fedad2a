import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Reads stdin on a NIO event loop. When that loop is also Swift's global executor (`fathom mcp`),
/// the session, its tool calls, their outbound HTTP and PostgreSQL I/O, and the replies share one
/// thread: a Prometheus query no longer crosses from a stdin thread to an I/O thread and back.
enum StdioPipeInput {
    /// epoll can watch pipes and sockets, which is what MCP clients give; a regular file or a
    /// terminal on stdin goes to ``StdioEventLoop`` instead.
    static func canWatch(_ descriptor: Int32) -> Bool {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFSOCK
    }

    /// Starts reading a duplicate of `input` (NIO owns and closes it; the original stays open).
    /// - Returns: false when NIO could not take the descriptor; the caller then reads another way.
    static func start(
        input: Int32, group: any EventLoopGroup, limit: Int, deliver: @escaping @Sendable (StdioTransport.Input) -> Void,
        onEnd: @escaping @Sendable (Int) -> Void
    ) async -> Bool {
        let descriptor = dup(input)
        guard descriptor >= 0 else { return false }
        do {
            _ = try await NIOPipeBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(LineReader(limit: limit, deliver: deliver, onEnd: onEnd))
                    }
                }
                .takingOwnershipOfDescriptor(input: descriptor).get()
            return true
        } catch {
            close(descriptor)
            return false
        }
    }

    private final class LineReader: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        private var splitter: LineSplitter
        private let deliver: @Sendable (StdioTransport.Input) -> Void
        private let onEnd: @Sendable (Int) -> Void
        private var ended = false

        init(limit: Int, deliver: @escaping @Sendable (StdioTransport.Input) -> Void, onEnd: @escaping @Sendable (Int) -> Void) {
            splitter = LineSplitter(limit: limit)
            self.deliver = deliver
            self.onEnd = onEnd
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            buffer.withUnsafeReadableBytes { bytes in
                splitter.feed(ArraySlice(bytes), emit: deliver)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            finish()
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            finish()
            context.close(promise: nil)
        }

        private func finish() {
            guard !ended else { return }
            ended = true
            onEnd(splitter.pendingBytes)
        }
    }
}

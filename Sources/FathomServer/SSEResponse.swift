import FathomMCP
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// Writes an ``EventStream`` as `text/event-stream`.
///
/// The stream stops when the client closes its side (noticed at once, not at the next write), when
/// another reader takes the stream over, when the stream finishes, or on server shutdown; in every case
/// but the last-message one the stream keeps its messages for a client that comes back with `Last-Event-ID`.
enum SSEResponse {
    /// A quiet stream gets a comment line this often, so proxies and dead peers are noticed.
    static let heartbeat = Duration.seconds(15)
    /// Sent once per stream: how long a client should wait before reconnecting.
    static let retryMilliseconds = 1000

    enum Style {
        /// Streamable HTTP: events carry ids for resumption.
        case streamable
        /// A stateless reply: nothing to resume, so no ids.
        case plain
        /// Legacy HTTP+SSE: first an `endpoint` event with the URL to POST to.
        case legacy(endpoint: String)
    }

    /// - Parameters:
    ///   - onStart: runs when the body starts; a response whose connection is gone before then never
    ///     runs `onStart` or `onEnd`, so what they count stays balanced.
    ///   - onEnd: runs when the stream stops, for any reason.
    static func make(
        _ request: Request, reader: EventStream.Reader, style: Style, metrics: ServerMetrics, headers: HTTPFields = [:],
        onStart: @escaping @Sendable () -> Void = {}, onEnd: @escaping @Sendable () async -> Void = {}
    ) -> Response {
        var fields = headers
        fields[.contentType] = "text/event-stream"
        fields[.cacheControl] = "no-cache, no-transform"
        fields[HTTPField.Name("X-Accel-Buffering")!] = "no"
        // Watching for the client's disconnect makes Hummingbird close the connection when the stream ends;
        // saying so up front keeps clients from reusing it for their next request.
        fields[.connection] = "close"
        let stream = reader.stream
        return Response(
            status: .ok, headers: fields,
            body: ResponseBody { writer in
                onStart()
                metrics.streamOpened()
                var reader = reader
                do {
                    try await request.body.consumeWithCancellationOnInboundClose { _ in
                        try await withGracefulShutdownHandler {
                            var prelude = "retry: \(retryMilliseconds)\n\n"
                            if case .legacy(let endpoint) = style { prelude += "event: endpoint\ndata: \(endpoint)\n\n" }
                            try await writer.write(ByteBuffer(string: prelude))
                            while let next = await reader.next(heartbeat: heartbeat) {
                                switch next {
                                case .idle:
                                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                                case .event(let event):
                                    try await writer.write(frame(event, stream: stream.number, style: style))
                                    reader.delivered()
                                }
                            }
                        } onGracefulShutdown: {
                            stream.interrupt()
                        }
                    }
                } catch {
                    // The client went away; what it missed stays in the stream's buffer.
                }
                metrics.streamClosed()
                await onEnd()
                try? await writer.finish(nil)
            })
    }

    static func frame(_ event: EventStream.Event, stream: Int, style: Style) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(event.data.count + 48)
        if case .streamable = style {
            buffer.writeString("id: \(stream)-\(event.sequence)\n")
        }
        if event.data.isEmpty {
            // The priming event: an id and an empty data field, so the client has something to resume from.
            buffer.writeString("data: \n\n")
        } else {
            buffer.writeString("event: message\ndata: ")
            buffer.writeBytes(event.data)
            buffer.writeString("\n\n")
        }
        return buffer
    }
}

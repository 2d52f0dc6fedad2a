import Foundation

/// Where a session writes its outgoing JSON-RPC messages. Transports provide one.
public protocol MessageSink: Sendable {
    /// Writes one complete JSON-RPC message (or batch). Safe to call from any task.
    func send(_ message: Data)
}

/// Where the answer to one incoming message goes: its reply, and the notifications sent while it runs
/// (progress, log messages).
///
/// For each message handed to ``MCPSession/receive(_:channel:)`` the session calls exactly one of
/// ``reply(_:)`` or ``noReply()``, after any number of ``notify(_:)`` calls. That lets an HTTP
/// transport answer a POST with JSON or an SSE stream, and know when the stream is over.
/// Messages that belong to no request (`resources/updated`, requests to the client) go to the
/// session's ``MessageSink`` instead.
public protocol ReplyChannel: Sendable {
    func notify(_ message: Data)
    func reply(_ message: Data)
    /// The message was a notification or a response, or its request was cancelled.
    func noReply()
}

/// The channel of a transport with one outgoing stream (stdio, legacy SSE): everything goes to the sink.
struct SinkReplyChannel: ReplyChannel {
    let sink: any MessageSink
    func notify(_ message: Data) { sink.send(message) }
    func reply(_ message: Data) { sink.send(message) }
    func noReply() {}
}

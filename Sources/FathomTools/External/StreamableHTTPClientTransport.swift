import AsyncHTTPClient
import FathomCore
import Foundation
import Logging
import MCP
import NIOCore
import NIOHTTP1

/// The client side of MCP's Streamable HTTP transport for the SDK's `Client`, on AsyncHTTPClient: each message is a
/// POST; the reply is JSON, or an SSE stream read to its end. (The SDK's own HTTP transport reads SSE replies whole on
/// Linux and cannot decode them.)
actor StreamableHTTPClientTransport: Transport {
    nonisolated let logger = Logger(label: "fathom.external.http")
    static let maxReplyBytes = 16 * 1024 * 1024

    private let url: String
    private let bearer: String?
    private let timeoutSeconds: Double
    private var sessionID: String?
    private var protocolVersion: String?
    private let messages: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation

    init(url: String, bearer: String?, timeoutSeconds: Double) {
        self.url = url
        self.bearer = bearer
        self.timeoutSeconds = timeoutSeconds
        (messages, continuation) = AsyncThrowingStream.makeStream()
    }

    func connect() async throws {}

    func disconnect() async {
        // An error, not a plain finish: the SDK's client restarts its receive loop on a finished stream.
        continuation.finish(throwing: CancellationError())
        guard let sessionID else { return }
        var request = HTTPClientRequest(url: url)
        request.method = .DELETE
        request.headers.add(name: "Mcp-Session-Id", value: sessionID)
        _ = try? await OutboundHTTP.failFastClient.execute(request, timeout: .seconds(5))
    }

    func send(_ data: Data) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json, text/event-stream")
        request.headers.add(name: "User-Agent", value: OutboundHTTP.userAgent)
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        if let sessionID { request.headers.add(name: "Mcp-Session-Id", value: sessionID) }
        if let protocolVersion { request.headers.add(name: "MCP-Protocol-Version", value: protocolVersion) }
        request.body = .bytes(ByteBuffer(bytes: data))
        let response = try await OutboundHTTP.failFastClient.execute(request, timeout: .seconds(Int64(timeoutSeconds.rounded(.up))))
        if let session = response.headers.first(name: "Mcp-Session-Id") { sessionID = session }
        guard (200..<300).contains(response.status.code) else {
            let body = try await response.body.collect(upTo: 64 * 1024)
            throw MCPError.internalError("HTTP \(response.status.code): \(String(buffer: body).prefix(300))")
        }
        if response.status.code == 202 { return }  // a notification or a response: nothing comes back
        let type = response.headers.first(name: "Content-Type") ?? ""
        if type.contains("text/event-stream") {
            var parser = ServerSentEventParser()
            for try await chunk in response.body {
                for event in try parser.feed(chunk.readableBytesView) where !event.isEmpty { deliver(event) }
            }
            if let event = parser.finish(), !event.isEmpty { deliver(event) }
        } else {
            let body = try await response.body.collect(upTo: Self.maxReplyBytes)
            if body.readableBytes > 0 { deliver(String(buffer: body)) }
        }
    }

    /// Hands a message to the client, noting the protocol version the handshake settled on.
    private func deliver(_ text: String) {
        if protocolVersion == nil, let value = try? JSONParser.parse(text), let version = value["result"]?["protocolVersion"]?.stringValue {
            protocolVersion = version
        }
        continuation.yield(Data(text.utf8))
    }

    func receive() -> AsyncThrowingStream<Data, any Error> { messages }
}

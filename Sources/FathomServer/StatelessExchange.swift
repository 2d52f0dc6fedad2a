import FathomCore
import FathomMCP
import Foundation
import HTTPTypes
import Hummingbird

/// One POST of the stateless 2026-07-28 revision, checked as the revision requires before it runs:
/// the `_meta` envelope (-32602), the routing headers against the body (-32020), then the version
/// (-32022). Also serves earlier revisions without sessions when `http.stateless` is on.
struct StatelessExchange: Sendable {
    let services: @Sendable () -> MCPServices
    let metrics: ServerMetrics

    static let method = HTTPField.Name("Mcp-Method")!
    static let name = HTTPField.Name("Mcp-Name")!

    static func isStateless(_ version: String) -> Bool { version == ProtocolVersion.stateless }

    /// Codes whose HTTP status the revision fixes; everything else travels with 200.
    static func status(for code: Int) -> HTTPResponse.Status {
        switch code {
        case -32601: .notFound
        case -32700, -32600, -32602, -32020, -32021, -32022: .badRequest
        default: .ok
        }
    }

    func handle(_ request: Request, body: Data, identity: String?, canStream: Bool) async -> Response {
        let headerVersion = request.headers[HTTPReply.protocolVersion] ?? ""
        guard let parsed = try? JSONParser.parse(body) else {
            return Self.error(nil, -32700, "Parse error: the body is not valid JSON.")
        }
        guard case .object(let message) = parsed else {
            return Self.error(nil, -32600, "Invalid request: protocol 2026-07-28 takes one JSON-RPC object per POST, not a batch.")
        }
        let id = message["id"]
        guard let id, id.stringValue != nil || id.intValue != nil else {
            if message["id"] == nil, message["method"]?.stringValue != nil {
                return Self.isStateless(headerVersion) ? Response(status: .accepted) : unsupported(nil, headerVersion)
            }
            return Self.error(nil, -32600, "Invalid request: \"id\" must be a string or an integer.")
        }
        guard message["jsonrpc"]?.stringValue == "2.0", let method = message["method"]?.stringValue else {
            return Self.error(id, -32600, "Invalid request: a JSON-RPC 2.0 request needs \"jsonrpc\": \"2.0\" and a string \"method\".")
        }
        let meta = message["params"]?["_meta"]?.objectValue ?? [:]
        let missing = [MCPSession.metaVersion, MCPSession.metaCapabilities].filter { meta[$0] == nil }
        guard missing.isEmpty else {
            return Self.error(id, -32602, "Invalid params: params._meta is missing the required key(s): \(missing.joined(separator: ", ")).")
        }
        guard let metaVersion = meta[MCPSession.metaVersion]?.stringValue else {
            return Self.error(id, -32602, "Invalid params: params._meta[\"\(MCPSession.metaVersion)\"] must be a string.")
        }
        if let mismatch = headerMismatch(request, method: method, params: message["params"], metaVersion: metaVersion) {
            return Self.error(id, -32020, mismatch)
        }
        guard Self.isStateless(metaVersion) else { return unsupported(id, metaVersion) }
        guard ProtocolVersion.statelessMethods.contains(method) else {
            return Self.error(id, -32601, "Method not found: \(method.prefix(100)) is not part of protocol 2026-07-28.")
        }
        let session = MCPSession.stateless(services: services, identity: identity, meta: meta)
        let exchange = PostExchange(canStream: canStream) { EventStream(number: 0) }
        let channel = StatelessReplyChannel(exchange, method: method, version: services().version)
        await session.receive(body, channel: channel)
        // Not cancelled when the client closes its connection while waiting for a JSON reply: watching
        // for that (Hummingbird's consumeWithInboundCloseHandler) also closes the connection after every
        // response, which costs keep-alive and races clients that reuse it. Tool budgets bound the call.
        let outcome = await exchange.outcome(streamAfter: nil)
        return Self.respond(outcome, status: channel.errorCode.map(Self.status(for:)) ?? .ok, request: request, session: session, metrics: metrics)
    }

    /// -32020 when a routing header disagrees with the body, so proxies that route on headers cannot be fooled.
    private func headerMismatch(_ request: Request, method: String, params: JSONValue?, metaVersion: String) -> String? {
        let headerVersion = request.headers[HTTPReply.protocolVersion] ?? ""
        if headerVersion != metaVersion {
            return "Header mismatch: MCP-Protocol-Version '\(headerVersion.prefix(40))' differs from _meta protocolVersion '\(metaVersion.prefix(40))'."
        }
        guard let headerMethod = request.headers[Self.method] else {
            return "Header mismatch: the Mcp-Method header is required and must equal the body's method '\(method.prefix(100))'."
        }
        if headerMethod != method {
            return "Header mismatch: Mcp-Method '\(headerMethod.prefix(100))' differs from the body's method '\(method.prefix(100))'."
        }
        let named: String? = switch method {
        case "tools/call", "prompts/get": params?["name"]?.stringValue
        case "resources/read": params?["uri"]?.stringValue
        default: nil
        }
        guard let named else { return nil }
        guard let header = request.headers[Self.name] else {
            return "Header mismatch: \(method) needs an Mcp-Name header equal to '\(named.prefix(100))'."
        }
        if Self.decodeName(header) != named {
            return "Header mismatch: Mcp-Name '\(header.prefix(100))' differs from '\(named.prefix(100))' in the body."
        }
        return nil
    }

    /// `=?base64?…?=` carries names that are not plain printable ASCII.
    static func decodeName(_ header: String) -> String {
        guard header.hasPrefix("=?base64?"), header.hasSuffix("?="), header.count >= 11 else { return header }
        let encoded = String(header.dropFirst(9).dropLast(2))
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8) else { return header }
        return text
    }

    private func unsupported(_ id: JSONValue?, _ requested: String) -> Response {
        let supported: [JSONValue] = ([ProtocolVersion.stateless] + ProtocolVersion.supported).map { .string($0) }
        return Self.error(
            id, -32022, "Unsupported protocol version '\(requested.prefix(40))'; this server speaks 2026-07-28 and 2024-11-05 to 2025-11-25.",
            data: ["supported": .array(supported), "requested": .string(String(requested.prefix(100)))])
    }

    static func error(_ id: JSONValue?, _ code: Int, _ message: String, data: JSONValue? = nil) -> Response {
        var error: [String: JSONValue] = ["code": .int(code), "message": .string(message)]
        if let data { error["data"] = data }
        let body = JSONWriter.write(["jsonrpc": "2.0", "id": id ?? .null, "error": .object(error)])
        return HTTPReply.json(Data(body), status: status(for: code))
    }

    /// - Parameters:
    ///   - status: for a JSON reply.
    ///   - session: closed when a streamed reply's client goes away, which stops its call.
    static func respond(
        _ outcome: PostExchange.Outcome, status: HTTPResponse.Status = .ok, request: Request, session: MCPSession, metrics: ServerMetrics
    ) -> Response {
        switch outcome {
        case .json(let data):
            return HTTPReply.json(data, status: status)
        case .accepted:
            return Response(status: .accepted)
        case .stream(let stream):
            guard let reader = stream.attach(after: nil) else { return HTTPReply.error(.internalServerError, "stream lost") }
            return SSEResponse.make(request, reader: reader, style: .plain, metrics: metrics, onEnd: { await session.close(grace: .zero) })
        }
    }

    // MARK: - Earlier revisions without sessions (`http.stateless`)

    /// Each POST runs on a session of its own, already initialized at the header's version; `initialize`
    /// is answered but opens nothing, so any replica can take any request.
    func handleLegacyRevision(_ request: Request, body: Data, identity: String?, canStream: Bool) async -> Response {
        let method = StreamableHTTPRoutes.method(of: body)
        let session = method == "initialize"
            ? MCPSession(provider: services, sink: DiscardingSink(), identity: identity)
            : MCPSession.preinitialized(
                services: services, identity: identity, version: request.headers[HTTPReply.protocolVersion] ?? "2025-03-26")
        let exchange = PostExchange(canStream: canStream) { EventStream(number: 0) }
        await session.receive(body, channel: exchange)
        return Self.respond(await exchange.outcome(streamAfter: nil), request: request, session: session, metrics: metrics)
    }
}

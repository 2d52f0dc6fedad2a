import FathomCore
import FathomMCP
import Foundation
import HTTPTypes
import Hummingbird

/// MCP Streamable HTTP at `/mcp` (revisions 2025-03-26 to 2025-11-25): POST carries messages, GET opens
/// the session's stream for server-initiated messages (or resumes any stream with `Last-Event-ID`),
/// DELETE ends the session. Requests that name the stateless 2026-07-28 revision go to ``StatelessExchange``.
struct StreamableHTTPRoutes: Sendable {
    let sessions: HTTPSessionTable
    let stateless: StatelessExchange
    let metrics: ServerMetrics
    let maxBodyBytes: Int
    /// `http.stateless`: no sessions at all; every POST stands alone.
    let statelessOnly: Bool

    func register(on router: Router<FathomRequestContext>) {
        router.post("/mcp") { request, context in try await post(request, context) }
        router.get("/mcp") { request, context in get(request, context) }
        router.delete("/mcp") { request, context in await delete(request, context) }
    }

    // MARK: - POST

    func post(_ original: Request, _ context: FathomRequestContext) async throws -> Response {
        // Collected in place, so the request can still tell when the client disconnects during an SSE reply.
        var request = original
        let (canJSON, canStream) = Self.accepts(request.headers[.accept])
        guard canJSON || canStream else {
            return HTTPReply.error(.notAcceptable, "Accept must list application/json and text/event-stream.")
        }
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            return HTTPReply.error(.unsupportedMediaType, "Content-Type must be application/json, got '\(type.prefix(100))'.")
        }
        let body: Data
        switch await Self.collect(&request, limit: maxBodyBytes) {
        case .success(let data): body = data
        case .failure(let refusal): return refusal.response
        }
        let version = request.headers[HTTPReply.protocolVersion]
        if let version, !ProtocolVersion.supported.contains(version) {
            // A stateless-revision request (even one naming a version we lack: it gets -32020 or -32022 with
            // the versions we speak), or a session request with a version no revision has.
            guard StatelessExchange.isStateless(version) || Self.contains(body, "io.modelcontextprotocol/protocolVersion") else {
                let known = ([ProtocolVersion.stateless] + ProtocolVersion.supported).joined(separator: ", ")
                return HTTPReply.error(.badRequest, "Unsupported MCP-Protocol-Version '\(version.prefix(40))'; this server speaks \(known).")
            }
            return await stateless.handle(request, body: body, identity: context.identity, canStream: canStream)
        }
        if statelessOnly {
            return await stateless.handleLegacyRevision(request, body: body, identity: context.identity, canStream: canStream)
        }
        guard let id = request.headers[HTTPReply.sessionID] else {
            return await open(request, body: body, identity: context.identity, canStream: canStream)
        }
        guard let session = sessions.session(id, identity: context.identity) else {
            return HTTPReply.error(.notFound, code: -32001, "Session not found: it ended or expired. Initialize a new session.")
        }
        return Self.reply(await session.post(body, canStream: canStream), request: request, session: session, metrics: metrics)
    }

    /// A POST without a session id must be `initialize`; it opens the session.
    private func open(_ request: Request, body: Data, identity: String?, canStream: Bool) async -> Response {
        guard let method = Self.method(of: body) else {
            return HTTPReply.error(.badRequest, code: -32700, "Parse error: the body is not a JSON-RPC message.")
        }
        guard method == "initialize" else {
            if method == "server/discover" {
                // A client probing for the stateless revision without saying so in the header: tell it
                // to fall back to initialize, promptly.
                return HTTPReply.error(.notFound, code: -32601, "Method not found: server/discover needs MCP-Protocol-Version: 2026-07-28.")
            }
            return HTTPReply.error(.badRequest, "Bad request: Mcp-Session-Id header is required; send initialize first.")
        }
        let session: HTTPSession
        do {
            session = try sessions.open(identity: identity)
        } catch {
            return HTTPReply.error(
                .serviceUnavailable, "Too many sessions (http.max_sessions = \(sessions.maxSessions)); retry later.",
                headers: [.retryAfter: "5"])
        }
        metrics.sessionsChanged(to: sessions.count)
        let outcome = await session.post(body, canStream: canStream)
        guard session.mcp.isInitialized else {
            await sessions.close(session.id)
            metrics.sessionsChanged(to: sessions.count)
            return Self.reply(outcome, request: request, session: nil, metrics: metrics)
        }
        return Self.reply(outcome, request: request, session: session, metrics: metrics, headers: [HTTPReply.sessionID: session.id])
    }

    static func reply(
        _ outcome: PostExchange.Outcome, request: Request, session: HTTPSession?, metrics: ServerMetrics, headers: HTTPFields = [:]
    ) -> Response {
        switch outcome {
        case .json(let data):
            return HTTPReply.json(data, status: Self.isUnattributableError(data) ? .badRequest : .ok, headers: headers)
        case .accepted: return Response(status: .accepted, headers: headers)
        case .stream(let stream):
            guard let reader = stream.attach(after: nil) else { return HTTPReply.error(.internalServerError, "stream lost") }
            return Self.stream(request, reader: reader, session: session, metrics: metrics, headers: headers)
        }
    }

    // MARK: - GET and DELETE

    func get(_ request: Request, _ context: FathomRequestContext) -> Response {
        if let version = request.headers[HTTPReply.protocolVersion], StatelessExchange.isStateless(version) {
            return Response(status: .methodNotAllowed, headers: [.allow: "POST"])
        }
        guard Self.accepts(request.headers[.accept]).stream else {
            return HTTPReply.error(.notAcceptable, "GET /mcp opens an event stream: Accept must list text/event-stream.")
        }
        guard !statelessOnly else {
            return Response(status: .methodNotAllowed, headers: [.allow: "POST"])
        }
        guard let id = request.headers[HTTPReply.sessionID] else {
            return HTTPReply.error(.badRequest, "Bad request: Mcp-Session-Id header is required.")
        }
        guard let session = sessions.session(id, identity: context.identity) else {
            return HTTPReply.error(.notFound, code: -32001, "Session not found: it ended or expired. Initialize a new session.")
        }
        let reader: EventStream.Reader
        if let last = request.headers[HTTPReply.lastEventID] {
            do {
                reader = try session.resume(lastEventID: last)
            } catch HTTPSession.ResumeError.expired(let oldest) {
                return HTTPReply.error(.gone, "Cannot resume after \(last.prefix(40)): the oldest kept event is \(oldest).")
            } catch {
                return HTTPReply.error(.badRequest, "Last-Event-ID '\(last.prefix(40))' names no stream of this session.")
            }
        } else {
            guard let fresh = session.standalone.attach(after: nil) else {
                return HTTPReply.error(.internalServerError, "stream lost")
            }
            reader = fresh
        }
        return Self.stream(request, reader: reader, session: session, metrics: metrics)
    }

    /// An open stream keeps its session from expiring; a finished one that reached the client is dropped.
    static func stream(
        _ request: Request, reader: EventStream.Reader, session: HTTPSession?, metrics: ServerMetrics, headers: HTTPFields = [:]
    ) -> Response {
        SSEResponse.make(
            request, reader: reader, style: .streamable, metrics: metrics, headers: headers,
            onStart: { session?.touch(busy: 1) },
            onEnd: {
                session?.touch(busy: -1)
                session?.forgetIfDelivered(reader.stream)
            })
    }

    func delete(_ request: Request, _ context: FathomRequestContext) async -> Response {
        guard let id = request.headers[HTTPReply.sessionID] else {
            return HTTPReply.error(.badRequest, "Bad request: Mcp-Session-Id header is required.")
        }
        guard sessions.session(id, identity: context.identity) != nil, await sessions.close(id) else {
            return HTTPReply.error(.notFound, code: -32001, "Session not found: it ended or expired.")
        }
        metrics.sessionsChanged(to: sessions.count)
        return Response(status: .noContent)
    }

    // MARK: - Helpers

    /// A parse error or an invalid request that could not be tied to an id: the body itself was bad, so 400.
    static func isUnattributableError(_ data: Data) -> Bool {
        guard data.count < 4096, contains(data, #""error""#), let value = try? JSONParser.parse(data),
            case .object(let object) = value
        else { return false }
        return object["error"] != nil && object["id"]?.isNull == true
    }

    /// What the client's Accept header allows: a missing header or `*/*` allows both.
    /// A byte scan: this runs on every request, and Foundation's splitting and trimming showed in profiles.
    static func accepts(_ header: String?) -> (json: Bool, stream: Bool) {
        guard var header, !header.isEmpty else { return (true, true) }
        return header.withUTF8 { bytes in
            var json = false
            var stream = false
            var index = 0
            while index < bytes.count {
                // One media range: skip spaces, take the type up to ';' or ',', then skip to the next ','.
                while index < bytes.count && (bytes[index] == 0x20 || bytes[index] == 0x09) { index += 1 }
                let start = index
                while index < bytes.count && bytes[index] != UInt8(ascii: ";") && bytes[index] != UInt8(ascii: ",") { index += 1 }
                var end = index
                while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
                let type = UnsafeBufferPointer(rebasing: bytes[start..<end])
                if Self.equalsIgnoringCase(type, "application/json") || Self.equalsIgnoringCase(type, "application/*") {
                    json = true
                } else if Self.equalsIgnoringCase(type, "text/event-stream") || Self.equalsIgnoringCase(type, "text/*") {
                    stream = true
                } else if Self.equalsIgnoringCase(type, "*/*") {
                    json = true
                    stream = true
                }
                while index < bytes.count && bytes[index] != UInt8(ascii: ",") { index += 1 }
                index += 1
            }
            return (json, stream)
        }
    }

    private static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for index in 0..<bytes.count {
            var byte = bytes[index]
            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            if byte != expected[index] { return false }
        }
        return true
    }

    private static func contains(_ data: Data, _ needle: StaticString) -> Bool {
        let pattern = UnsafeRawBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        return data.withUnsafeBytes { haystack in
            guard let first = pattern.first, haystack.count >= pattern.count else { return false }
            for start in 0...(haystack.count - pattern.count) where haystack[start] == first {
                if haystack[start..<(start + pattern.count)].elementsEqual(pattern) { return true }
            }
            return false
        }
    }

    /// The body, or a 413 before reading it when Content-Length already says it is too large.
    static func collect(_ request: inout Request, limit: Int) async -> Result<Data, ResponseError> {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            return .failure(ResponseError(tooLarge: length, limit: limit))
        }
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return .success(Data(buffer.readableBytesView))
        } catch {
            return .failure(ResponseError(tooLarge: nil, limit: limit))
        }
    }

    struct ResponseError: Error {
        let response: Response
        init(tooLarge bytes: Int?, limit: Int) {
            let size = bytes.map { "\($0) bytes" } ?? "the body"
            response = HTTPReply.error(.contentTooLarge, "Request too large: \(size) exceeds http.max_body_bytes (\(limit)).")
        }
    }

    /// The method of a single JSON-RPC message, without dispatching it.
    static func method(of body: Data) -> String? {
        guard let value = try? JSONParser.parse(body), case .object(let object) = value else { return nil }
        return object["method"]?.stringValue ?? ""
    }
}

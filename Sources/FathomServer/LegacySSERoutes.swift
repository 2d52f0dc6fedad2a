import FathomCore
import FathomMCP
import Foundation
import HTTPTypes
import Hummingbird

/// The HTTP+SSE transport of protocol 2024-11-05: `GET /sse` opens a session and its event stream,
/// whose first event names the URL to POST messages to; replies come back on the stream.
/// The session lives as long as the stream.
struct LegacySSERoutes: Sendable {
    let sessions: HTTPSessionTable
    let metrics: ServerMetrics
    let maxBodyBytes: Int

    func register(on router: Router<FathomRequestContext>) {
        router.get("/sse") { request, context in open(request, context) }
        router.post("/messages") { request, context in try await post(request, context) }
    }

    func open(_ request: Request, _ context: FathomRequestContext) -> Response {
        let session: HTTPSession
        do {
            session = try sessions.open(identity: context.identity, legacy: true)
        } catch {
            return HTTPReply.error(
                .serviceUnavailable, "Too many sessions (http.max_sessions = \(sessions.maxSessions)); retry later.",
                headers: [.retryAfter: "5"])
        }
        metrics.sessionsChanged(to: sessions.count)
        guard let reader = session.standalone.attach(after: nil) else {
            return HTTPReply.error(.internalServerError, "stream lost")
        }
        let sessions = self.sessions
        let metrics = self.metrics
        return SSEResponse.make(
            request, reader: reader, style: .legacy(endpoint: "/messages?sessionId=\(session.id)"), metrics: metrics,
            onStart: { session.touch(busy: 1) },
            onEnd: {
                session.touch(busy: -1)
                await sessions.close(session.id)
                metrics.sessionsChanged(to: sessions.count)
            })
    }

    func post(_ original: Request, _ context: FathomRequestContext) async throws -> Response {
        var request = original
        guard let id = request.uri.queryParameters["sessionId"].map(String.init), !id.isEmpty else {
            return HTTPReply.error(.badRequest, "Bad request: the sessionId query parameter is required; take the URL from the endpoint event.")
        }
        guard let session = sessions.session(id, identity: context.identity) else {
            return HTTPReply.error(.notFound, code: -32001, "Session not found: its event stream closed. Open GET /sse again.")
        }
        let body: Data
        switch await StreamableHTTPRoutes.collect(&request, limit: maxBodyBytes) {
        case .success(let data): body = data
        case .failure(let refusal): return refusal.response
        }
        session.touch(busy: 1)
        await session.mcp.receive(body)
        session.touch(busy: -1)
        return Response(status: .accepted)
    }

}

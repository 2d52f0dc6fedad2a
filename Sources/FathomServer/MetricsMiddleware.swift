import Hummingbird

/// Counts every request by route and status, and times it to the response head.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = FathomRequestContext
    let metrics: ServerMetrics

    static let routes: Set<String> = ["/mcp", "/sse", "/messages", "/healthz", "/readyz", "/metrics"]

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        // Unknown paths share one label, so a scanner cannot grow the metric set without bound.
        let route = Self.routes.contains(request.uri.path) ? request.uri.path : "other"
        do {
            let response = try await next(request, context)
            metrics.request(route: route, method: request.method.rawValue, status: response.status.code, elapsed: .now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(route: route, method: request.method.rawValue, status: status, elapsed: .now - start)
            throw error
        }
    }
}

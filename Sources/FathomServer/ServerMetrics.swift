import FathomStore
import Prometheus

/// Fathom's Prometheus metrics: HTTP requests and their latency, refusals, open sessions and tool calls.
///
/// Recorded straight into a `PrometheusCollectorRegistry`; `fathom serve` also bootstraps swift-metrics
/// with the same registry, so metrics from libraries land on the same `/metrics` page.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let sessions: Gauge
    private let streams: Gauge

    static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        sessions = registry.makeGauge(
            descriptor: .init(namespace: "fathom", metricName: "mcp_sessions", unitName: "", helpText: "Open MCP sessions over HTTP."),
            labels: [])
        streams = registry.makeGauge(
            descriptor: .init(namespace: "fathom", metricName: "sse_streams", unitName: "", helpText: "Open server-sent-event streams."),
            labels: [])
    }

    func request(route: String, method: String, status: Int, elapsed: Duration) {
        registry.makeCounter(
            descriptor: .init(namespace: "fathom", metricName: "http_requests", unitName: "total", helpText: "HTTP requests by route and status."),
            labels: [("route", route), ("method", method), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(
                namespace: "fathom", metricName: "http_request_duration", unitName: "seconds",
                helpText: "Time to the response head (the whole exchange for JSON replies)."),
            labels: [("route", route)], buckets: Self.latencyBuckets
        ).record(elapsed)
    }

    func refused(_ reason: String) {
        registry.makeCounter(
            descriptor: .init(namespace: "fathom", metricName: "http_refused", unitName: "total", helpText: "Requests refused before routing, by reason."),
            labels: [("reason", reason)]
        ).increment()
    }

    func sessionsChanged(to count: Int) { sessions.set(Int64(count)) }
    func streamOpened() { streams.increment() }
    func streamClosed() { streams.decrement() }

    /// For ``ToolRegistry``'s observer.
    public func toolCall(_ tool: String, _ outcome: AuditRecord.Outcome, _ elapsed: Duration) {
        registry.makeCounter(
            descriptor: .init(namespace: "fathom", metricName: "tool_calls", unitName: "total", helpText: "Tool calls by tool and outcome."),
            labels: [("tool", tool), ("outcome", outcome.rawValue)]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(namespace: "fathom", metricName: "tool_call_duration", unitName: "seconds", helpText: "Tool call latency."),
            labels: [("tool", tool)], buckets: Self.latencyBuckets
        ).record(elapsed)
    }

    public func exposition() -> [UInt8] { registry.emitToBuffer() }
}

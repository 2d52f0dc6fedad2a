import FathomStore
import Prometheus
import Synchronization

/// Fathom's Prometheus metrics: HTTP requests and their latency, refusals, open sessions and tool calls.
///
/// Recorded straight into a `PrometheusCollectorRegistry`; `fathom serve` also bootstraps swift-metrics
/// with the same registry, so metrics from libraries land on the same `/metrics` page. Handles are made
/// once per label set and kept: the registry's lookup builds names and sorts labels on every call.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let sessions: Gauge
    private let streams: Gauge

    private struct Key: Hashable {
        let name: String
        let labels: [String]
    }
    private let counters = Mutex<[Key: Counter]>([:])
    private let histograms = Mutex<[Key: DurationHistogram]>([:])

    static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    private static let help: [String: String] = [
        "http_requests": "HTTP requests by route, method and status.",
        "http_request_duration": "Time to the response head (the whole exchange for JSON replies).",
        "http_refused": "Requests refused before routing, by reason.",
        "tool_calls": "Tool calls by tool and outcome.",
        "tool_call_duration": "Tool call latency.",
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

    private func counter(_ name: String, _ labels: KeyValuePairs<String, String>) -> Counter {
        let key = Key(name: name, labels: labels.map(\.value))
        if let counter = counters.withLock({ $0[key] }) { return counter }
        let counter = registry.makeCounter(
            descriptor: .init(namespace: "fathom", metricName: name, unitName: "total", helpText: Self.help[name] ?? ""),
            labels: labels.map { ($0.key, $0.value) })
        counters.withLock { $0[key] = counter }
        return counter
    }

    private func histogram(_ name: String, _ labels: KeyValuePairs<String, String>) -> DurationHistogram {
        let key = Key(name: name, labels: labels.map(\.value))
        if let histogram = histograms.withLock({ $0[key] }) { return histogram }
        let histogram = registry.makeDurationHistogram(
            descriptor: .init(namespace: "fathom", metricName: name, unitName: "seconds", helpText: Self.help[name] ?? ""),
            labels: labels.map { ($0.key, $0.value) }, buckets: Self.latencyBuckets)
        histograms.withLock { $0[key] = histogram }
        return histogram
    }

    func request(route: String, method: String, status: Int, elapsed: Duration) {
        counter("http_requests", ["route": route, "method": method, "status": String(status)]).increment()
        histogram("http_request_duration", ["route": route]).record(elapsed)
    }

    func refused(_ reason: String) {
        counter("http_refused", ["reason": reason]).increment()
    }

    func sessionsChanged(to count: Int) { sessions.set(Int64(count)) }
    func streamOpened() { streams.increment() }
    func streamClosed() { streams.decrement() }

    /// For ``ToolRegistry``'s observer.
    public func toolCall(_ tool: String, _ outcome: AuditRecord.Outcome, _ elapsed: Duration) {
        counter("tool_calls", ["tool": tool, "outcome": outcome.rawValue]).increment()
        histogram("tool_call_duration", ["tool": tool]).record(elapsed)
    }

    public func exposition() -> [UInt8] { registry.emitToBuffer() }
}

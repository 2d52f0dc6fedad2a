import FathomCore

struct PrometheusSeriesTool: Tool {
    struct Arguments: Decodable, Sendable {
        var match: [String]
        var start: String?
        var end: String?
        var limit: Int?
        var endpoint: String?
        var cluster: String?
    }

    static let name = "prometheus_series"
    static let title = "Find series"
    static let description = "List the series that match selectors in a time window (default: the last hour)."
    static let inputSchema = ObservabilityToolset.schema(
        [
            "match": ObservabilityToolset.matchProperty, "start": ObservabilityToolset.timeProperty, "end": ObservabilityToolset.timeProperty,
            "limit": ["type": "integer", "minimum": 1, "maximum": 1000, "description": "Series to show (default 100)."],
        ], required: ["match"])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        guard !arguments.match.isEmpty else { return .error("match needs at least one series selector, e.g. up{job=\"node\"}.") }
        let prometheus = try endpoints.prometheus(endpoint: arguments.endpoint, cluster: arguments.cluster)
        let window = try TimeArguments.window(start: arguments.start, end: arguments.end, duration: nil, defaultDuration: 3600, now: endpoints.now())
        let parameters = arguments.match.map { ("match[]", $0) }
            + [("start", TimeArguments.unix(window.start)), ("end", TimeArguments.unix(window.end))]
        let data = try await prometheus.api("/api/v1/series", parameters).data
        let series = (data.arrayValue ?? []).map { item in
            PrometheusResult.Series(labels: (item.objectValue ?? [:]).compactMapValues(\.stringValue), points: [])
        }.sorted { $0.selector < $1.selector }
        return ListedItems(
            header: "prometheus '\(prometheus.name)' series", items: series.map { ($0.selector, .object($0.labels.mapValues { .string($0) })) },
            limit: arguments.limit ?? 100, cursors: endpoints.cursors, extra: ["endpoint": .string(prometheus.name)], noun: "series"
        ).toolResult()
    }
}

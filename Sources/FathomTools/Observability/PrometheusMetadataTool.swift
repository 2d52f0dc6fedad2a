import FathomCore

struct PrometheusMetadataTool: Tool {
    struct Arguments: Decodable, Sendable {
        var metric: String?
        var limit: Int?
        var endpoint: String?
        var cluster: String?
    }

    static let name = "prometheus_metric_metadata"
    static let title = "Metric metadata"
    static let description = "Type (counter, gauge, histogram, summary), help text and unit of metrics, as the scraped targets declare them."
    static let inputSchema = ObservabilityToolset.schema([
        "metric": ["type": "string", "maxLength": 256, "description": "One metric name; all metrics when omitted."],
        "limit": ["type": "integer", "minimum": 1, "maximum": 5000, "description": "Metrics to show (default 200)."],
    ])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let prometheus = try endpoints.prometheus(endpoint: arguments.endpoint, cluster: arguments.cluster)
        let data = try await prometheus.api("/api/v1/metadata", arguments.metric.map { [("metric", $0)] } ?? []).data
        let items: [(String, JSONValue)] = (data.objectValue ?? [:]).sorted { $0.key < $1.key }.map { metric, entries in
            let first = entries.arrayValue?.first
            let type = first?["type"]?.stringValue ?? "unknown"
            let help = first?["help"]?.stringValue ?? ""
            let unit = first?["unit"]?.stringValue ?? ""
            return (
                "\(metric) (\(type)\(unit.isEmpty ? "" : ", \(unit)")): \(help)",
                ["metric": .string(metric), "type": .string(type), "help": .string(help), "unit": .string(unit)]
            )
        }
        if items.isEmpty, let metric = arguments.metric {
            return .text("prometheus '\(prometheus.name)' has no metadata for \(metric): no scraped target exposes it.",
                structured: ["endpoint": .string(prometheus.name), "count": 0, "items": [], "truncated": false])
        }
        return ListedItems(
            header: "prometheus '\(prometheus.name)' metadata", items: items, limit: arguments.limit ?? 200, cursors: endpoints.cursors,
            extra: ["endpoint": .string(prometheus.name)], noun: "metrics"
        ).toolResult()
    }
}

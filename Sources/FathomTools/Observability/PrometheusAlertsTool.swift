import FathomCore

struct PrometheusAlertsTool: Tool {
    struct Arguments: Decodable, Sendable {
        var state: String?
        var limit: Int?
        var endpoint: String?
        var cluster: String?
    }

    static let name = "prometheus_alerts"
    static let title = "Active alerts (Prometheus)"
    static let description = "Alerts Prometheus is evaluating right now, firing and pending, with labels, annotations and since when."
    static let inputSchema = ObservabilityToolset.schema([
        "state": ["type": "string", "enum": ["firing", "pending"]],
        "limit": ["type": "integer", "minimum": 1, "maximum": 5000, "description": "Alerts to show (default 100)."],
    ])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let prometheus = try endpoints.prometheus(endpoint: arguments.endpoint, cluster: arguments.cluster)
        let data = try await prometheus.api("/api/v1/alerts").data
        let rows = (data["alerts"]?.arrayValue ?? []).filter { arguments.state == nil || $0["state"]?.stringValue == arguments.state }
            .map { alert -> (String, JSONValue) in
                let labels = (alert["labels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
                let series = PrometheusResult.Series(labels: labels.filter { $0.key != "alertname" }, points: [])
                let summary = alert["annotations"]?["summary"]?.stringValue ?? alert["annotations"]?["description"]?.stringValue ?? ""
                let state = alert["state"]?.stringValue ?? ""
                let line = "[\(state)] \(labels["alertname"] ?? "")\(series.selector == "{}" ? "" : series.selector) since \(alert["activeAt"]?.stringValue ?? "?")"
                    + " value \(alert["value"]?.stringValue ?? "")" + (summary.isEmpty ? "" : ": \(summary)")
                return (line, alert)
            }.sorted { $0.0 < $1.0 }
        return ListedItems(
            header: "prometheus '\(prometheus.name)' alerts", items: rows, limit: arguments.limit ?? 100, cursors: endpoints.cursors,
            extra: ["endpoint": .string(prometheus.name)], noun: "alerts"
        ).toolResult()
    }
}

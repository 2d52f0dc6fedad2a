import FathomCore
import NIOHTTP1

struct AlertmanagerAlertsTool: Tool {
    struct Arguments: Decodable, Sendable {
        var filter: [String]?
        var active: Bool?
        var silenced: Bool?
        var inhibited: Bool?
        var receiver: String?
        var limit: Int?
        var endpoint: String?
        var cluster: String?
    }

    static let name = "alertmanager_alerts"
    static let title = "Alerts (Alertmanager)"
    static let description =
        "Alerts Alertmanager holds, with their state (active, suppressed), who silenced or inhibited them, labels and summary. Filter with label matchers such as severity=\"critical\"."
    static let inputSchema = ObservabilityToolset.schema([
        "filter": ObservabilityToolset.matchersProperty,
        "active": ["type": "boolean", "description": "Include active alerts (default true)."],
        "silenced": ["type": "boolean", "description": "Include silenced alerts (default true)."],
        "inhibited": ["type": "boolean", "description": "Include inhibited alerts (default true)."],
        "receiver": ["type": "string", "maxLength": 256, "description": "Only alerts routed to receivers matching this regex."],
        "limit": ["type": "integer", "minimum": 1, "maximum": 5000, "description": "Alerts to show (default 100)."],
    ])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let alertmanager = try endpoints.client("alertmanager", endpoint: arguments.endpoint, cluster: arguments.cluster)
        var query = try (arguments.filter ?? []).map { ("filter", try LabelMatcher(parsing: $0).text) }
        for (key, value) in [("active", arguments.active), ("silenced", arguments.silenced), ("inhibited", arguments.inhibited)] {
            if let value { query.append((key, value ? "true" : "false")) }
        }
        if let receiver = arguments.receiver { query.append(("receiver", receiver)) }
        let alerts = try await alertmanager.json(.GET, "/api/v2/alerts", query: query).arrayValue ?? []
        let rows = alerts.map { alert -> (String, JSONValue) in
            let labels = (alert["labels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            let state = alert["status"]?["state"]?.stringValue ?? "unknown"
            let silencedBy = (alert["status"]?["silencedBy"]?.arrayValue ?? []).compactMap(\.stringValue)
            let inhibitedBy = (alert["status"]?["inhibitedBy"]?.arrayValue ?? []).compactMap(\.stringValue)
            let rest = PrometheusResult.Series(labels: labels.filter { $0.key != "alertname" }, points: []).selector
            let summary = alert["annotations"]?["summary"]?.stringValue ?? alert["annotations"]?["description"]?.stringValue ?? ""
            var line = "[\(state)] \(labels["alertname"] ?? "")\(rest == "{}" ? "" : rest) since \(alert["startsAt"]?.stringValue ?? "?")"
            if !silencedBy.isEmpty { line += " silenced by \(silencedBy.joined(separator: ", "))" }
            if !inhibitedBy.isEmpty { line += " inhibited by \(inhibitedBy.joined(separator: ", "))" }
            if !summary.isEmpty { line += ": \(summary)" }
            return (line, alert)
        }.sorted { $0.0 < $1.0 }
        return ListedItems(
            header: "alertmanager '\(alertmanager.endpoint.name)' alerts", items: rows, limit: arguments.limit ?? 100, cursors: endpoints.cursors,
            extra: ["endpoint": .string(alertmanager.endpoint.name)], noun: "alerts"
        ).toolResult()
    }
}

import FathomCore

struct PrometheusRulesTool: Tool {
    struct Arguments: Decodable, Sendable {
        var type: String?
        var name: String?
        var limit: Int?
        var endpoint: String?
        var cluster: String?
    }

    static let name = "prometheus_rules"
    static let title = "Alerting and recording rules"
    static let description = "Alerting and recording rules with their state (firing, pending, inactive), health and last error; firing and broken rules first."
    static let inputSchema = ObservabilityToolset.schema([
        "type": ["type": "string", "enum": ["alert", "record"]],
        "name": ["type": "string", "maxLength": 256, "description": "Only rules whose name contains this."],
        "limit": ["type": "integer", "minimum": 1, "maximum": 5000, "description": "Rules to show (default 100)."],
    ])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let prometheus = try endpoints.prometheus(endpoint: arguments.endpoint, cluster: arguments.cluster)
        let data = try await prometheus.api("/api/v1/rules", arguments.type.map { [("type", $0)] } ?? []).data
        var rows: [(rank: Int, line: String, json: JSONValue)] = []
        for group in data["groups"]?.arrayValue ?? [] {
            let groupName = group["name"]?.stringValue ?? ""
            for rule in group["rules"]?.arrayValue ?? [] {
                let name = rule["name"]?.stringValue ?? ""
                if let filter = arguments.name, !name.localizedCaseInsensitiveContains(filter) { continue }
                let type = rule["type"]?.stringValue ?? ""
                let state = rule["state"]?.stringValue ?? (type == "recording" ? "recording" : "")
                let health = rule["health"]?.stringValue ?? "unknown"
                let error = rule["lastError"]?.stringValue ?? ""
                let active = rule["alerts"]?.arrayValue?.count ?? 0
                let rank = health != "ok" ? 0 : state == "firing" ? 1 : state == "pending" ? 2 : 3
                let line = "[\(state)\(health == "ok" ? "" : ", \(health)")] \(groupName)/\(name): \(rule["query"]?.stringValue ?? "")"
                    + (active > 0 ? " (\(active) active)" : "") + (error.isEmpty ? "" : " error: \(error)")
                rows.append((rank, line, [
                    "group": .string(groupName), "name": .string(name), "type": .string(type), "state": .string(state),
                    "health": .string(health), "lastError": .string(error), "query": rule["query"] ?? .null,
                    "labels": rule["labels"] ?? .object([:]), "annotations": rule["annotations"] ?? .object([:]), "activeAlerts": .int(active),
                ]))
            }
        }
        rows.sort { ($0.rank, $0.line) < ($1.rank, $1.line) }
        return ListedItems(
            header: "prometheus '\(prometheus.name)' rules", items: rows.map { ($0.line, $0.json) }, limit: arguments.limit ?? 100,
            cursors: endpoints.cursors, extra: ["endpoint": .string(prometheus.name)], noun: "rules"
        ).toolResult()
    }
}

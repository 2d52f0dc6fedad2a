import FathomCore
import NIOHTTP1

struct AlertmanagerSilencesTool: Tool {
    struct Arguments: Decodable, Sendable {
        var filter: [String]?
        var state: String?
        var limit: Int?
        var endpoint: String?
        var cluster: String?
    }

    static let name = "alertmanager_silences"
    static let title = "Silences"
    static let description = "Silences with their matchers, state (active, pending, expired), author, comment and end time; active first."
    static let inputSchema = ObservabilityToolset.schema([
        "filter": ObservabilityToolset.matchersProperty,
        "state": ["type": "string", "enum": ["active", "pending", "expired"]],
        "limit": ["type": "integer", "minimum": 1, "maximum": 5000, "description": "Silences to show (default 100)."],
    ])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let alertmanager = try endpoints.client("alertmanager", endpoint: arguments.endpoint, cluster: arguments.cluster)
        let query = try (arguments.filter ?? []).map { ("filter", try LabelMatcher(parsing: $0).text) }
        let silences = (try await alertmanager.json(.GET, "/api/v2/silences", query: query).arrayValue ?? [])
            .filter { arguments.state == nil || $0["status"]?["state"]?.stringValue == arguments.state }
        let order = ["active": 0, "pending": 1, "expired": 2]
        let rows = silences.map { silence -> (Int, String, JSONValue) in
            let state = silence["status"]?["state"]?.stringValue ?? "unknown"
            let matchers = (silence["matchers"]?.arrayValue ?? []).map { matcher in
                LabelMatcher(
                    name: matcher["name"]?.stringValue ?? "", value: matcher["value"]?.stringValue ?? "",
                    isRegex: matcher["isRegex"]?.boolValue ?? false, isEqual: matcher["isEqual"]?.boolValue ?? true
                ).text
            }
            let line = "[\(state)] \(silence["id"]?.stringValue ?? "") {\(matchers.joined(separator: ", "))} until \(silence["endsAt"]?.stringValue ?? "?")"
                + " by \(silence["createdBy"]?.stringValue ?? "?"): \(silence["comment"]?.stringValue ?? "")"
            return (order[state] ?? 3, line, silence)
        }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        return ListedItems(
            header: "alertmanager '\(alertmanager.endpoint.name)' silences", items: rows.map { ($0.1, $0.2) }, limit: arguments.limit ?? 100,
            cursors: endpoints.cursors, extra: ["endpoint": .string(alertmanager.endpoint.name)], noun: "silences"
        ).toolResult()
    }
}

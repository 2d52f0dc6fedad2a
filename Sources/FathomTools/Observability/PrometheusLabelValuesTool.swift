import FathomCore

struct PrometheusLabelValuesTool: Tool {
    struct Arguments: Decodable, Sendable {
        var label: String
        var match: [String]?
        var limit: Int?
        var endpoint: String?
        var cluster: String?
    }

    static let name = "prometheus_label_values"
    static let title = "Label values"
    static let description = "List the values of one label (e.g. job, namespace), optionally only on series that match selectors."
    static let inputSchema = ObservabilityToolset.schema(
        [
            "label": ["type": "string", "pattern": "^[a-zA-Z_][a-zA-Z0-9_]*$", "maxLength": 256],
            "match": ObservabilityToolset.matchProperty,
            "limit": ["type": "integer", "minimum": 1, "maximum": 5000, "description": "Values to show (default 200)."],
        ], required: ["label"])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let prometheus = try endpoints.prometheus(endpoint: arguments.endpoint, cluster: arguments.cluster)
        let values = (try await prometheus.api(
            "/api/v1/label/\(arguments.label)/values", (arguments.match ?? []).map { ("match[]", $0) }
        ).data.arrayValue ?? []).compactMap(\.stringValue)
        return ListedItems(
            header: "prometheus '\(prometheus.name)' values of \(arguments.label)", items: values.map { ($0, .string($0)) },
            limit: arguments.limit ?? 200, cursors: endpoints.cursors, extra: ["endpoint": .string(prometheus.name)], noun: "values"
        ).toolResult()
    }
}

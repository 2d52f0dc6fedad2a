import FathomCore

struct LokiLabelsTool: Tool {
    struct Arguments: Decodable, Sendable {
        var label: String?
        var selector: String?
        var start: String?
        var end: String?
        var duration: String?
        var endpoint: String?
        var cluster: String?
    }

    static let name = "loki_labels"
    static let title = "Log labels (Loki)"
    static let description =
        "Without label: the label names Loki has in a window (default: the last hour). With label: that label's values, optionally only on streams a selector matches."
    static let inputSchema = ObservabilityToolset.schema([
        "label": ["type": "string", "pattern": "^[a-zA-Z_][a-zA-Z0-9_]*$", "maxLength": 256],
        "selector": ["type": "string", "maxLength": 4096, "description": "Only streams this selector matches, e.g. {namespace=\"shop\"}."],
        "start": ObservabilityToolset.timeProperty, "end": ObservabilityToolset.timeProperty,
        "duration": ["type": "string", "maxLength": 32],
    ])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let loki = try endpoints.client("loki", endpoint: arguments.endpoint, cluster: arguments.cluster)
        let window = try TimeArguments.window(
            start: arguments.start, end: arguments.end, duration: arguments.duration, defaultDuration: 3600, now: endpoints.now())
        var parameters = [("start", LokiQueryRangeTool.nanoseconds(window.start)), ("end", LokiQueryRangeTool.nanoseconds(window.end))]
        if let selector = arguments.selector { parameters.append(("query", selector)) }
        let path = arguments.label.map { "/loki/api/v1/label/\($0)/values" } ?? "/loki/api/v1/labels"
        let values = (try await loki.envelopeData(path, parameters).data.arrayValue ?? []).compactMap(\.stringValue).sorted()
        let what = arguments.label.map { "values of \($0)" } ?? "label names"
        return ListedItems(
            header: "loki '\(loki.endpoint.name)' \(what)", items: values.map { ($0, .string($0)) }, limit: 1000, cursors: endpoints.cursors,
            extra: ["endpoint": .string(loki.endpoint.name)], noun: arguments.label == nil ? "labels" : "values"
        ).toolResult()
    }
}

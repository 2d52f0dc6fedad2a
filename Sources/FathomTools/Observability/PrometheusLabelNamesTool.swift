import FathomCore

struct PrometheusLabelNamesTool: Tool {
    struct Arguments: Decodable, Sendable {
        var match: [String]?
        var start: String?
        var end: String?
        var endpoint: String?
        var cluster: String?
    }

    static let name = "prometheus_label_names"
    static let title = "Label names"
    static let description = "List label names, optionally only those on series that match selectors."
    static let inputSchema = ObservabilityToolset.schema([
        "match": ObservabilityToolset.matchProperty, "start": ObservabilityToolset.timeProperty, "end": ObservabilityToolset.timeProperty,
    ])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let prometheus = try endpoints.prometheus(endpoint: arguments.endpoint, cluster: arguments.cluster)
        var parameters = (arguments.match ?? []).map { ("match[]", $0) }
        let now = endpoints.now()
        if let start = arguments.start { parameters.append(("start", TimeArguments.unix(try TimeArguments.time(start, argument: "start", now: now)))) }
        if let end = arguments.end { parameters.append(("end", TimeArguments.unix(try TimeArguments.time(end, argument: "end", now: now)))) }
        let names = (try await prometheus.api("/api/v1/labels", parameters).data.arrayValue ?? []).compactMap(\.stringValue)
        return ListedItems(
            header: "prometheus '\(prometheus.name)' label names", items: names.map { ($0, .string($0)) }, limit: 1000,
            cursors: endpoints.cursors, extra: ["endpoint": .string(prometheus.name)], noun: "labels"
        ).toolResult()
    }
}

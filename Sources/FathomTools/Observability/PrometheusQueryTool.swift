import FathomCore

struct PrometheusQueryTool: Tool {
    struct Arguments: Decodable, Sendable {
        var query: String
        var time: String?
        var limit: Int?
        var endpoint: String?
        var cluster: String?
    }

    static let name = "prometheus_query"
    static let title = "PromQL instant query"
    static let description =
        "Evaluate a PromQL expression at one instant. Returns the top series by value; the rest stay behind a cursor (query_result_page)."
    static let inputSchema = ObservabilityToolset.schema(
        [
            "query": ObservabilityToolset.queryProperty,
            "time": ObservabilityToolset.timeProperty,
            "limit": ["type": "integer", "minimum": 1, "maximum": 500, "description": "Series to show (default: observability.max_series)."],
        ], required: ["query"])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let prometheus = try endpoints.prometheus(endpoint: arguments.endpoint, cluster: arguments.cluster)
        let time = try arguments.time.map { try TimeArguments.time($0, argument: "time", now: endpoints.now()) }
        let result = try await prometheus.instantQuery(arguments.query, at: time)
        return QueryResultSummary(
            result: result, header: "prometheus '\(prometheus.name)'", limit: arguments.limit ?? endpoints.settings.maxSeries,
            cursors: endpoints.cursors, extra: ["endpoint": .string(prometheus.name)]
        ).toolResult()
    }
}

import FathomCore

struct PrometheusQueryRangeTool: Tool {
    struct Arguments: Decodable, Sendable {
        var query: String
        var start: String?
        var end: String?
        var duration: String?
        var step: String?
        var sort: String?
        var ascending: Bool?
        var limit: Int?
        var endpoint: String?
        var cluster: String?
    }

    static let name = "prometheus_query_range"
    static let title = "PromQL range query"
    static let description =
        "Evaluate PromQL over a time window. Each series is summarized as min, max, avg and last; the step is chosen so no series has more than observability.max_points points. Raw points stay behind a cursor (query_result_page)."
    static let inputSchema = ObservabilityToolset.schema(
        [
            "query": ObservabilityToolset.queryProperty,
            "start": ObservabilityToolset.timeProperty,
            "end": ObservabilityToolset.timeProperty,
            "duration": ["type": "string", "maxLength": 32, "description": "Window length ending at end, e.g. 1h (default 1h)."],
            "step": ["type": "string", "maxLength": 32, "description": "Resolution, e.g. 30s; raised if it would give too many points."],
            "sort": ["type": "string", "enum": ["max", "min", "avg", "last"], "description": "Rank series by this (default max)."],
            "ascending": ["type": "boolean", "description": "Lowest first instead of highest."],
            "limit": ["type": "integer", "minimum": 1, "maximum": 500, "description": "Series to show (default: observability.max_series)."],
        ], required: ["query"])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let answer = try await endpoints.rangeQuery(
            arguments.query, start: arguments.start, end: arguments.end, duration: arguments.duration, step: arguments.step,
            endpoint: arguments.endpoint, cluster: arguments.cluster)
        let (prometheus, result, window) = (answer.prometheus, answer.result, answer.window)
        return QueryResultSummary(
            result: result, header: "prometheus '\(prometheus.name)' · \(answer.span)",
            statistic: arguments.sort.flatMap(SeriesSummary.Statistic.init(rawValue:)) ?? .max, ascending: arguments.ascending ?? false,
            limit: arguments.limit ?? endpoints.settings.maxSeries, cursors: endpoints.cursors,
            extra: [
                "endpoint": .string(prometheus.name), "step": .double(window.step),
                "start": .string(window.start.formatted(.iso8601)), "end": .string(window.end.formatted(.iso8601)),
            ]
        ).toolResult()
    }
}

import FathomCore
import Foundation

struct PrometheusFederatedQueryTool: Tool {
    struct Arguments: Decodable, Sendable {
        var query: String
        var group: String?
        var clusters: [String]?
        var time: String?
        var limit: Int?
    }

    static let name = "prometheus_federated_query"
    static let title = "PromQL across clusters"
    static let description =
        "Evaluate one PromQL instant query on every Prometheus of a cluster group (observability.cluster_groups), of the listed clusters, or of all endpoints, at once. Each series gets a 'source' label naming its endpoint; endpoints that fail are listed, not fatal."
    static let inputSchema: JSONValue = [
        "type": "object",
        "properties": [
            "query": ObservabilityToolset.queryProperty,
            "group": ["type": "string", "maxLength": 64, "description": "A cluster group from observability.cluster_groups."],
            "clusters": ["type": "array", "items": ["type": "string", "maxLength": 128], "maxItems": 64],
            "time": ObservabilityToolset.timeProperty,
            "limit": ["type": "integer", "minimum": 1, "maximum": 500],
        ],
        "required": ["query"], "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let fleet = try endpoints.prometheusFleet(group: arguments.group, clusters: arguments.clusters)
        let time = try arguments.time.map { try TimeArguments.time($0, argument: "time", now: endpoints.now()) } ?? endpoints.now()
        // Each endpoint has its own timeout; one slow cluster does not hold the others' answers back longer than that.
        let outcomes = await withTaskGroup(of: (Int, Result<PrometheusResult, any Error>).self) { group in
            for (index, prometheus) in fleet.enumerated() {
                group.addTask {
                    do {
                        return (index, .success(try await prometheus.instantQuery(arguments.query, at: time)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var outcomes = [Result<PrometheusResult, any Error>?](repeating: nil, count: fleet.count)
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes
        }
        var merged: [PrometheusResult.Series] = []
        var warnings: [String] = []
        var failures: [JSONValue] = []
        var resultType = "vector"
        for (prometheus, outcome) in zip(fleet, outcomes) {
            switch outcome {
            case .success(let result)?:
                resultType = result.resultType
                warnings += result.warnings.map { "\(prometheus.name): \($0)" }
                merged += result.series.map { series in
                    var series = series
                    series.labels["source"] = prometheus.name
                    if let cluster = prometheus.endpoint.endpoint.cluster, series.labels["cluster"] == nil {
                        series.labels["cluster"] = cluster
                    }
                    return series
                }
            case .failure(let error)?:
                warnings.append("\(prometheus.name) failed: \(error)")
                failures.append(["endpoint": .string(prometheus.name), "error": .string("\(error)")])
            case nil:
                break
            }
        }
        if failures.count == fleet.count, case .failure(let error)? = outcomes.first {
            throw error
        }
        var result = try PrometheusResult(data: ["resultType": .string(resultType), "result": .array([])])
        result.series = merged
        result.warnings = warnings
        return QueryResultSummary(
            result: result, header: "prometheus × \(fleet.count) (\(fleet.map(\.name).joined(separator: ", ")))",
            limit: arguments.limit ?? endpoints.settings.maxSeries, cursors: endpoints.cursors,
            extra: ["endpoints": .array(fleet.map { .string($0.name) }), "failures": .array(failures)]
        ).toolResult()
    }
}

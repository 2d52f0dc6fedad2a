import FathomCore

struct TempoGetTraceTool: Tool {
    struct Arguments: Decodable, Sendable {
        var trace_id: String
        var endpoint: String?
        var cluster: String?
    }

    static let name = "tempo_get_trace"
    static let title = "Get a trace (Tempo)"
    static let description = "One trace by id, summarized: services, error spans with their status, the slowest spans, and the span tree."
    static let inputSchema = ObservabilityToolset.schema(
        ["trace_id": ["type": "string", "pattern": "^[0-9a-fA-F]{1,32}$"]], required: ["trace_id"])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let tempo = try endpoints.client("tempo", endpoint: arguments.endpoint, cluster: arguments.cluster)
        let id = arguments.trace_id.lowercased()
        let document: JSONValue
        do {
            document = try await tempo.json(.GET, "/api/traces/\(id)")
        } catch EndpointError.api(_, _, 404, _) {
            return .error("tempo '\(tempo.endpoint.name)' has no trace \(id). It may be older than Tempo's retention, or not yet flushed.")
        }
        return TraceSummary(document).toolResult(traceID: id, endpoint: tempo.endpoint.name)
    }
}

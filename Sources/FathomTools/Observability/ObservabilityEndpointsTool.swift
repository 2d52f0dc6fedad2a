import FathomCore

struct ObservabilityEndpointsTool: Tool {
    struct Arguments: Decodable, Sendable {}

    static let name = "observability_endpoints"
    static let title = "Observability endpoints"
    static let description = "The configured Prometheus, Alertmanager, Loki and Tempo endpoints, with the cluster each watches and the cluster groups."
    static let inputSchema: JSONValue = ["type": "object", "properties": [:], "additionalProperties": false]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let settings = endpoints.settings
        let rows = settings.all.map { kind, endpoint in
            (
                "\(kind) \(endpoint.name) \(endpoint.url)" + (endpoint.cluster.map { " cluster=\($0)" } ?? "") + " auth=\(endpoint.auth)",
                JSONValue.object([
                    "kind": .string(kind), "name": .string(endpoint.name), "url": .string(endpoint.url),
                    "cluster": endpoint.cluster.map { .string($0) } ?? .null, "auth": .string(endpoint.auth.description),
                    "timeoutSeconds": .double(endpoint.timeoutSeconds),
                ])
            )
        }
        let groups = settings.clusterGroups.sorted { $0.key < $1.key }
        var lines = rows.map(\.0)
        lines += groups.map { "group \($0.key): \($0.value.joined(separator: ", "))" }
        return .text(
            lines.joined(separator: "\n"),
            structured: [
                "endpoints": .array(rows.map(\.1)),
                "clusterGroups": .object(Dictionary(uniqueKeysWithValues: groups.map { ($0.key, .array($0.value.map { .string($0) })) })),
            ])
    }
}

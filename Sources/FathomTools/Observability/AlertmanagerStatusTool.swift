import FathomCore
import NIOHTTP1

struct AlertmanagerStatusTool: Tool {
    struct Arguments: Decodable, Sendable {
        var endpoint: String?
        var cluster: String?
    }

    static let name = "alertmanager_status"
    static let title = "Alertmanager status"
    static let description = "Alertmanager's version, uptime and cluster (peers, state). The configuration is left out: it holds receiver secrets."
    static let inputSchema = ObservabilityToolset.schema([:])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let alertmanager = try endpoints.client("alertmanager", endpoint: arguments.endpoint, cluster: arguments.cluster)
        let status = try await alertmanager.json(.GET, "/api/v2/status")
        let version = status["versionInfo"]?["version"]?.stringValue ?? "?"
        let uptime = status["uptime"]?.stringValue ?? "?"
        let cluster = status["cluster"]?["status"]?.stringValue ?? "?"
        let peers = status["cluster"]?["peers"]?.arrayValue ?? []
        let structured: JSONValue = [
            "endpoint": .string(alertmanager.endpoint.name), "version": .string(version), "uptime": .string(uptime),
            "clusterStatus": .string(cluster), "peers": .array(peers), "versionInfo": status["versionInfo"] ?? .null,
        ]
        return .text(
            "alertmanager '\(alertmanager.endpoint.name)' \(version), up since \(uptime), cluster \(cluster) with \(peers.count) peer(s)",
            structured: structured)
    }
}

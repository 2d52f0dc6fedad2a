import FathomCore
import NIOHTTP1

struct AlertmanagerExpireSilenceTool: Tool {
    struct Arguments: Decodable, Sendable {
        var silence_id: String
        var endpoint: String?
        var cluster: String?
    }

    static let name = "alertmanager_expire_silence"
    static let title = "Expire a silence"
    static let description = "End a silence now, so its alerts notify again. A write: needs policy.read_only off and an explicit allow."
    static let inputSchema = ObservabilityToolset.schema(
        ["silence_id": ["type": "string", "pattern": "^[0-9a-fA-F-]{36}$", "description": "The id alertmanager_silences shows."]],
        required: ["silence_id"])
    static let annotations = ToolAnnotations.write(destructive: true, idempotent: true, openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let alertmanager = try endpoints.client("alertmanager", endpoint: arguments.endpoint, cluster: arguments.cluster)
        _ = try await alertmanager.json(.DELETE, "/api/v2/silence/\(arguments.silence_id.lowercased())")
        return .text(
            "Expired silence \(arguments.silence_id) on alertmanager '\(alertmanager.endpoint.name)'.",
            structured: ["silenceID": .string(arguments.silence_id), "endpoint": .string(alertmanager.endpoint.name), "expired": true])
    }
}

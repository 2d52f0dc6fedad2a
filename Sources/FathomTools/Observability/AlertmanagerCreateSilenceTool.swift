import FathomCore
import NIOHTTP1
import Foundation

struct AlertmanagerCreateSilenceTool: Tool {
    struct Arguments: Decodable, Sendable {
        var matchers: [String]
        var comment: String
        var duration: String?
        var starts_at: String?
        var ends_at: String?
        var created_by: String?
        var endpoint: String?
        var cluster: String?
    }

    static let name = "alertmanager_create_silence"
    static let title = "Create a silence"
    static let description =
        "Silence alerts that match every matcher (e.g. alertname=\"HighCPU\", instance=~\"node-1.*\") for a duration (default 1h). Returns the silence id. A write: needs policy.read_only off and an explicit allow."
    static let inputSchema = ObservabilityToolset.schema(
        [
            "matchers": ["type": "array", "items": ["type": "string", "minLength": 3, "maxLength": 1024], "minItems": 1, "maxItems": 32],
            "comment": ["type": "string", "minLength": 1, "maxLength": 2048, "description": "Why: shown to everyone who sees the silence."],
            "duration": ["type": "string", "maxLength": 32, "description": "How long, e.g. 2h (default 1h); or give ends_at."],
            "starts_at": ObservabilityToolset.timeProperty,
            "ends_at": ObservabilityToolset.timeProperty,
            "created_by": ["type": "string", "maxLength": 256, "description": "Author (default: fathom and the calling client)."],
        ], required: ["matchers", "comment"])
    static let annotations = ToolAnnotations.write(destructive: true, idempotent: false, openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let alertmanager = try endpoints.client("alertmanager", endpoint: arguments.endpoint, cluster: arguments.cluster)
        let matchers = try arguments.matchers.map(LabelMatcher.init(parsing:))
        let now = endpoints.now()
        let start = try arguments.starts_at.map { try TimeArguments.time($0, argument: "starts_at", now: now) } ?? now
        let end = try arguments.ends_at.map { try TimeArguments.time($0, argument: "ends_at", now: now) }
            ?? start.addingTimeInterval(try TimeArguments.duration(arguments.duration ?? "1h", argument: "duration"))
        guard end > start, end > now else { return .error("The silence must end after it starts, and in the future.") }
        let author = arguments.created_by ?? "fathom (\(context.agent.map { "agent \($0) for " } ?? "")\(context.client))"
        let body: JSONValue = [
            "matchers": .array(matchers.map(\.json)), "startsAt": .string(Self.timestamp(start)), "endsAt": .string(Self.timestamp(end)),
            "createdBy": .string(author), "comment": .string(arguments.comment),
        ]
        let reply = try await alertmanager.json(.POST, "/api/v2/silences", body: body)
        guard let id = reply["silenceID"]?.stringValue else {
            throw EndpointError.invalidResponse(kind: "alertmanager", name: alertmanager.endpoint.name, reason: "no silenceID in the reply")
        }
        return .text(
            "Created silence \(id) on alertmanager '\(alertmanager.endpoint.name)' for {\(matchers.map(\.text).joined(separator: ", "))} until \(Self.timestamp(end)).",
            structured: ["silenceID": .string(id), "endpoint": .string(alertmanager.endpoint.name), "startsAt": .string(Self.timestamp(start)), "endsAt": .string(Self.timestamp(end))])
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

import FathomCore
import Foundation

struct TempoSearchTool: Tool {
    struct Arguments: Decodable, Sendable {
        var query: String?
        var tags: [String: String]?
        var min_duration: String?
        var max_duration: String?
        var start: String?
        var end: String?
        var duration: String?
        var limit: Int?
        var endpoint: String?
        var cluster: String?
    }

    static let name = "tempo_search"
    static let title = "Search traces (Tempo)"
    static let description =
        "Find traces in Tempo by TraceQL (e.g. { resource.service.name = \"checkout\" && status = error }) or by tags, and duration, in a window (default: the last hour). Slowest first."
    static let inputSchema = ObservabilityToolset.schema([
        "query": ["type": "string", "maxLength": 8192, "description": "TraceQL."],
        "tags": [
            "type": "object", "additionalProperties": ["type": "string", "maxLength": 1024], "maxProperties": 16,
            "description": "Span or resource attributes that must match, e.g. {\"service.name\": \"checkout\"}.",
        ],
        "min_duration": ["type": "string", "maxLength": 32, "description": "e.g. 500ms"],
        "max_duration": ["type": "string", "maxLength": 32],
        "start": ObservabilityToolset.timeProperty, "end": ObservabilityToolset.timeProperty,
        "duration": ["type": "string", "maxLength": 32, "description": "Window ending at end (default 1h)."],
        "limit": ["type": "integer", "minimum": 1, "maximum": 1000, "description": "Traces (default 20)."],
    ])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let tempo = try endpoints.client("tempo", endpoint: arguments.endpoint, cluster: arguments.cluster)
        let window = try TimeArguments.window(
            start: arguments.start, end: arguments.end, duration: arguments.duration, defaultDuration: 3600, now: endpoints.now())
        var parameters = [
            ("start", String(Int(window.start.timeIntervalSince1970))), ("end", String(Int(window.end.timeIntervalSince1970.rounded(.up)))),
            ("limit", String(arguments.limit ?? 20)),
        ]
        if let query = arguments.query { parameters.append(("q", query)) }
        if let tags = arguments.tags, !tags.isEmpty {
            // logfmt, as Tempo reads `tags`.
            parameters.append(("tags", tags.sorted { $0.key < $1.key }.map { "\($0.key)=\(LogQL.quoted($0.value))" }.joined(separator: " ")))
        }
        for (name, value) in [("minDuration", arguments.min_duration), ("maxDuration", arguments.max_duration)] {
            if let value {
                _ = try TimeArguments.duration(value, argument: name == "minDuration" ? "min_duration" : "max_duration")
                parameters.append((name, value))
            }
        }
        let document = try await tempo.json(.GET, "/api/search", query: parameters)
        let traces = (document["traces"]?.arrayValue ?? []).map { trace -> (Double, String, JSONValue) in
            let id = trace["traceID"]?.stringValue ?? ""
            let service = trace["rootServiceName"]?.stringValue ?? "<root span not yet received>"
            let root = trace["rootTraceName"]?.stringValue ?? ""
            let duration = trace["durationMs"]?.doubleValue ?? 0
            let start = trace["startTimeUnixNano"]?.stringValue.flatMap { Int64($0) }.map(LokiQueryRangeTool.timestamp) ?? "?"
            let line = "\(id) \(service) \(root) \(SeriesSummary.format(duration)) ms at \(start)"
            return (duration, line, [
                "traceID": .string(id), "rootServiceName": .string(service), "rootTraceName": .string(root), "durationMs": .double(duration),
                "start": .string(start),
            ])
        }.sorted { ($0.0, $1.1) > ($1.0, $0.1) }
        return ListedItems(
            header: "tempo '\(tempo.endpoint.name)' traces", items: traces.map { ($0.1, $0.2) }, limit: arguments.limit ?? 20,
            cursors: endpoints.cursors, extra: ["endpoint": .string(tempo.endpoint.name)], noun: "traces"
        ).toolResult()
    }
}

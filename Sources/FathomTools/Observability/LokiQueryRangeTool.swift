import FathomCore
import Foundation

struct LokiQueryRangeTool: Tool {
    struct Arguments: Decodable, Sendable {
        var selector: String?
        var query: String?
        var contains: [String]?
        var excludes: [String]?
        var regex: String?
        var start: String?
        var end: String?
        var duration: String?
        var limit: Int?
        var direction: String?
        var endpoint: String?
        var cluster: String?
    }

    static let name = "loki_query_range"
    static let title = "Search logs (Loki)"
    static let description =
        "Log lines from Loki in a time window (default: the last hour), newest first: a stream selector such as {namespace=\"shop\", app=\"checkout\"} with optional line filters, or a full LogQL query. A metric query (count_over_time, rate) is summarized per series."
    static let inputSchema = ObservabilityToolset.schema([
        "selector": ["type": "string", "maxLength": 4096, "description": "Stream selector, e.g. {app=\"api\", level=\"error\"}."],
        "query": ["type": "string", "maxLength": 16384, "description": "Full LogQL instead of selector and filters."],
        "contains": ["type": "array", "items": ["type": "string", "minLength": 1, "maxLength": 1024], "maxItems": 16, "description": "Lines must contain each."],
        "excludes": ["type": "array", "items": ["type": "string", "minLength": 1, "maxLength": 1024], "maxItems": 16, "description": "Lines must contain none."],
        "regex": ["type": "string", "maxLength": 1024, "description": "Lines must match this RE2 regex."],
        "start": ObservabilityToolset.timeProperty, "end": ObservabilityToolset.timeProperty,
        "duration": ["type": "string", "maxLength": 32, "description": "Window ending at end, e.g. 15m (default 1h)."],
        "limit": ["type": "integer", "minimum": 1, "maximum": 5000, "description": "Lines (default 100)."],
        "direction": ["type": "string", "enum": ["backward", "forward"], "description": "backward: newest first (default)."],
    ])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    /// A line longer than this is cut: one stack trace must not fill the context.
    static let maxLineBytes = 2048
    /// All lines together stay under this; the rest are counted, not shown.
    static let maxTextBytes = 256 * 1024
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let loki = try endpoints.client("loki", endpoint: arguments.endpoint, cluster: arguments.cluster)
        let query: String
        switch (arguments.query, arguments.selector) {
        case (let raw?, nil):
            query = raw
        case (nil, let selector?):
            query = try LogQL.query(
                selector: selector, contains: arguments.contains ?? [], excludes: arguments.excludes ?? [], regex: arguments.regex)
        default:
            return .error("Give either selector (with optional contains, excludes and regex) or query, not both and not neither.")
        }
        // The step matters to metric queries only; Loki ignores it for log lines.
        let window = try TimeArguments.range(
            start: arguments.start, end: arguments.end, duration: arguments.duration, step: nil,
            maxPoints: endpoints.settings.maxPoints, now: endpoints.now())
        let limit = arguments.limit ?? 100
        let parameters = [
            ("query", query), ("start", Self.nanoseconds(window.start)), ("end", Self.nanoseconds(window.end)), ("limit", String(limit)),
            ("direction", arguments.direction ?? "backward"), ("step", String(window.step)),
        ]
        let response = try await loki.envelopeData("/loki/api/v1/query_range", parameters)
        let header = "loki '\(loki.endpoint.name)' · \(window.start.formatted(.iso8601)) to \(window.end.formatted(.iso8601))"
        if response.data["resultType"]?.stringValue == "matrix" {
            let result: PrometheusResult
            do {
                result = try PrometheusResult(data: response.data, warnings: response.warnings)
            } catch {
                throw EndpointError.invalidResponse(kind: "loki", name: loki.endpoint.name, reason: "\(error)")
            }
            return QueryResultSummary(
                result: result, header: header, limit: endpoints.settings.maxSeries, cursors: endpoints.cursors,
                extra: ["endpoint": .string(loki.endpoint.name), "query": .string(query)]
            ).toolResult()
        }
        return render(
            response.data, header: header, query: query, limit: limit, newestFirst: arguments.direction != "forward", endpoint: loki.endpoint.name)
    }

    /// Lines of every stream merged in time order, each with the labels that tell streams apart.
    private func render(_ data: JSONValue, header: String, query: String, limit: Int, newestFirst: Bool, endpoint: String) -> ToolResult {
        struct Line {
            var time: Int64
            var stream: Int
            var text: String
        }
        let streams = data["result"]?.arrayValue ?? []
        let labelSets = streams.map { ($0["stream"]?.objectValue ?? [:]).compactMapValues(\.stringValue) }
        // Labels every stream shares go in the header; each line shows only what differs.
        let shared = labelSets.first.map { first in first.filter { key, value in labelSets.allSatisfy { $0[key] == value } } } ?? [:]
        var lines: [Line] = []
        for (index, stream) in streams.enumerated() {
            for value in stream["values"]?.arrayValue ?? [] {
                guard let pair = value.arrayValue, pair.count >= 2, let time = pair[0].stringValue.flatMap({ Int64($0) }),
                    let text = pair[1].stringValue
                else { continue }
                lines.append(Line(time: time, stream: index, text: text))
            }
        }
        lines.sort { newestFirst ? ($0.time, $1.stream) > ($1.time, $0.stream) : ($0.time, $0.stream) < ($1.time, $1.stream) }
        var textLines = [
            "\(header) · \(lines.count) line(s) from \(streams.count) stream(s)"
                + (shared.isEmpty ? "" : " · " + PrometheusResult.Series(labels: shared, points: []).selector)
        ]
        var bytes = 0
        var shown: [JSONValue] = []
        var levels: [String: Int] = [:]
        for line in lines {
            let own = labelSets[line.stream].filter { shared[$0.key] == nil }
            if let level = labelSets[line.stream]["level"] ?? labelSets[line.stream]["detected_level"] { levels[level, default: 0] += 1 }
            let text = TextLimit.clip(line.text, maxBytes: Self.maxLineBytes)
            let rendered = Self.timestamp(line.time) + (own.isEmpty ? "" : " " + PrometheusResult.Series(labels: own, points: []).selector) + " " + text
            guard bytes + rendered.utf8.count <= Self.maxTextBytes else { break }
            bytes += rendered.utf8.count
            textLines.append(rendered)
            shown.append(["time": .string(Self.timestamp(line.time)), "labels": .object(own.mapValues { .string($0) }), "line": .string(text)])
        }
        if shown.count < lines.count {
            textLines.append("[truncated: showed \(shown.count) of \(lines.count) lines (\(Self.maxTextBytes) bytes); narrow the selector or the window]")
        } else if lines.count >= limit {
            textLines.append("[limit of \(limit) lines reached; older lines exist: narrow the window or raise limit]")
        }
        return .text(
            textLines.joined(separator: "\n"),
            structured: [
                "endpoint": .string(endpoint), "query": .string(query), "lineCount": .int(lines.count), "streamCount": .int(streams.count),
                "sharedLabels": .object(shared.mapValues { .string($0) }), "lines": .array(shown),
                "levels": .object(levels.mapValues { .int($0) }), "truncated": .bool(shown.count < lines.count || lines.count >= limit),
            ])
    }

    static func nanoseconds(_ date: Date) -> String {
        String(Int64((date.timeIntervalSince1970 * 1e9).rounded()))
    }

    static func timestamp(_ nanoseconds: Int64) -> String {
        Date(timeIntervalSince1970: Double(nanoseconds) / 1e9).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

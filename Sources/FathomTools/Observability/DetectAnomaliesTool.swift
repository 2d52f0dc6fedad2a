import FathomCore
import Foundation

struct DetectAnomaliesTool: Tool {
    struct Arguments: Decodable, Sendable {
        var query: String
        var start: String?
        var end: String?
        var duration: String?
        var step: String?
        var threshold: Double?
        var change_threshold: Double?
        var limit: Int?
        var endpoint: String?
        var cluster: String?
    }

    static let name = "detect_anomalies"
    static let title = "Detect anomalies (no AI)"
    static let description =
        "Run a PromQL range query and find, per series, windows where values stand out (robust z-score on median and MAD) and level shifts (change points), with their scores. Series with the strongest findings first."
    static let inputSchema = ObservabilityToolset.schema(
        [
            "query": ObservabilityToolset.queryProperty,
            "start": ObservabilityToolset.timeProperty, "end": ObservabilityToolset.timeProperty,
            "duration": ["type": "string", "maxLength": 32, "description": "Window ending at end (default 1h)."],
            "step": ["type": "string", "maxLength": 32],
            "threshold": ["type": "number", "minimum": 1, "maximum": 100, "description": "Robust z-score that marks a point (default 3.5)."],
            "change_threshold": ["type": "number", "minimum": 0.5, "maximum": 1000, "description": "Level shift, in standard deviations, that counts (default 3)."],
            "limit": ["type": "integer", "minimum": 1, "maximum": 200, "description": "Series to report (default 10)."],
        ], required: ["query"])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let answer = try await endpoints.rangeQuery(
            arguments.query, start: arguments.start, end: arguments.end, duration: arguments.duration, step: arguments.step,
            endpoint: arguments.endpoint, cluster: arguments.cluster)
        let (prometheus, result, window) = (answer.prometheus, answer.result, answer.window)
        let detector = AnomalyDetector(threshold: arguments.threshold ?? 3.5, changeThreshold: arguments.change_threshold ?? 3)
        let analyzed = result.series.map { (series: $0, findings: detector.analyze($0.points)) }
            .filter { !$0.findings.windows.isEmpty || !$0.findings.changePoints.isEmpty }
            // Strongest first; the selector breaks ties so the report is stable.
            .sorted { ($0.findings.strength, $1.series.selector) > ($1.findings.strength, $0.series.selector) }
        let shown = analyzed.prefix(arguments.limit ?? 10)
        var lines = [
            "prometheus '\(prometheus.name)' · \(answer.span)"
                + " · \(result.series.count) series, \(analyzed.count) with findings (robust z ≥ \(SeriesSummary.format(detector.threshold)), shift ≥ \(SeriesSummary.format(detector.changeThreshold))σ)"
        ]
        if analyzed.isEmpty { lines.append("nothing stands out in this window") }
        for (series, findings) in shown {
            var parts: [String] = []
            for window in findings.windows.sorted(by: { abs($0.score) > abs($1.score) }).prefix(5) {
                let span = window.start == window.end ? Self.time(window.start) : "\(Self.time(window.start))–\(Self.time(window.end))"
                parts.append(
                    "\(window.direction) \(span) peak \(SeriesSummary.format(window.peak)) (z \(SeriesSummary.format(window.score)), median \(SeriesSummary.format(findings.median)))")
            }
            for change in findings.changePoints {
                parts.append(
                    "level shift at \(Self.time(change.time)) \(SeriesSummary.format(change.before)) → \(SeriesSummary.format(change.after)) (\(SeriesSummary.format(change.score))σ)")
            }
            lines.append("\(series.selector): " + parts.joined(separator: "; "))
        }
        if shown.count < analyzed.count { lines.append("[\(analyzed.count - shown.count) more series with findings; raise limit or narrow the query]") }
        return .text(
            lines.joined(separator: "\n"),
            structured: [
                "endpoint": .string(prometheus.name), "step": .double(window.step), "seriesCount": .int(result.series.count),
                "anomalousSeries": .int(analyzed.count),
                "series": .array(shown.map { series, findings in
                    [
                        "series": .string(series.selector), "labels": .object(series.labels.mapValues { .string($0) }),
                        "median": SeriesSummary.number(findings.median), "mad": SeriesSummary.number(findings.mad),
                        "windows": .array(findings.windows.map { window in
                            [
                                "start": .string(Self.time(window.start)), "end": .string(Self.time(window.end)),
                                "peak": SeriesSummary.number(window.peak), "score": SeriesSummary.number(window.score),
                                "direction": .string(window.direction), "points": .int(window.points),
                            ]
                        }),
                        "changePoints": .array(findings.changePoints.map { change in
                            [
                                "time": .string(Self.time(change.time)), "before": SeriesSummary.number(change.before),
                                "after": SeriesSummary.number(change.after), "score": SeriesSummary.number(change.score),
                            ]
                        }),
                    ]
                }),
            ])
    }

    static func time(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).formatted(.iso8601)
    }
}

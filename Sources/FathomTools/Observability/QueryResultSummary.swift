import FathomCore
import Foundation

/// Turns a PromQL result into what a model can read: the top series with min, max, avg and last,
/// while every series, with every point, waits behind a cursor.
struct QueryResultSummary {
    var result: PrometheusResult
    /// `prometheus 'prod' · instant at …`, the first line of the text.
    var header: String
    var statistic: SeriesSummary.Statistic = .max
    var ascending = false
    var limit: Int
    var cursors: ResultCursors
    var extra: [String: JSONValue] = [:]

    func toolResult() -> ToolResult {
        let summaries = SeriesSummary.ranked(result.series.indices.map { SeriesSummary(result.series[$0], index: $0) }, by: statistic, ascending: ascending)
        let shown = Array(summaries.prefix(limit))
        let isRange = result.resultType == "matrix"
        // A range result always keeps its raw points; an instant one only when series were left out.
        let cursor = (isRange && !result.series.isEmpty) || shown.count < summaries.count ? storeRaw(order: summaries) : nil

        var lines = [header + " · \(result.resultType) · \(summaries.count) series"]
        if result.series.isEmpty {
            lines.append("(no data: the query matched no series in this window)")
        }
        for summary in shown {
            if isRange {
                lines.append(
                    "\(summary.selector)  min=\(SeriesSummary.format(summary.min)) max=\(SeriesSummary.format(summary.max)) "
                        + "avg=\(SeriesSummary.format(summary.avg)) last=\(SeriesSummary.format(summary.last)) (\(summary.points) points)")
            } else {
                lines.append("\(summary.selector)  \(SeriesSummary.format(summary.last))")
            }
        }
        if shown.count < summaries.count {
            lines.append(
                "[showing \(shown.count) of \(summaries.count) series, \(ascending ? "lowest" : "highest") \(isRange ? statistic.rawValue : "value") first; "
                    + "call query_result_page with cursor \(cursor ?? "") for the rest]")
        } else if let cursor {
            lines.append("[raw points: query_result_page with cursor \(cursor)]")
        }
        for warning in result.warnings { lines.append("warning: \(warning)") }

        var structured: [String: JSONValue] = extra
        structured["resultType"] = .string(result.resultType)
        structured["seriesCount"] = .int(summaries.count)
        structured["series"] = .array(shown.map(\.json))
        structured["truncated"] = .bool(shown.count < summaries.count)
        if let cursor { structured["cursor"] = .string(cursor) }
        if !result.warnings.isEmpty { structured["warnings"] = .array(result.warnings.map { .string($0) }) }
        return .text(lines.joined(separator: "\n"), structured: .object(structured))
    }

    /// Every series with its points, in the summary's order, as `query_result_page` returns them.
    private func storeRaw(order summaries: [SeriesSummary]) -> String {
        var bytes = 0
        let items: [JSONValue] = summaries.map { summary in
            let series = result.series[summary.index]
            bytes += summary.selector.utf8.count * 2 + series.points.count * 32
            return [
                "series": .string(summary.selector),
                "labels": .object(series.labels.mapValues { .string($0) }),
                "values": .array(series.points.map { [.double($0.time), .string(SeriesSummary.exact($0.value))] }),
            ]
        }
        return cursors.store(items, bytes: bytes)
    }
}

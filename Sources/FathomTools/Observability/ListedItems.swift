import FathomCore

/// A list answer (series, labels, targets, rules, alerts): the first `limit` items as text lines and
/// JSON, and, when there are more, a cursor that holds every item.
struct ListedItems {
    var header: String
    var items: [(line: String, json: JSONValue)]
    var limit: Int
    var cursors: ResultCursors
    var extra: [String: JSONValue] = [:]
    var noun = "items"

    func toolResult() -> ToolResult {
        let shown = items.prefix(limit)
        var lines = ["\(header) · \(items.count) \(noun)"] + shown.map(\.line)
        var structured = extra
        structured["count"] = .int(items.count)
        structured["items"] = .array(shown.map(\.json))
        structured["truncated"] = .bool(shown.count < items.count)
        if shown.count < items.count {
            let all = items.map(\.json)
            let cursor = cursors.store(all, bytes: items.reduce(0) { $0 + $1.line.utf8.count * 3 })
            structured["cursor"] = .string(cursor)
            lines.append("[showing \(shown.count) of \(items.count) \(noun); call query_result_page with cursor \(cursor) for the rest, or narrow the request]")
        }
        return .text(lines.joined(separator: "\n"), structured: .object(structured))
    }
}

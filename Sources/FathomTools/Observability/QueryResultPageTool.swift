import FathomCore

struct QueryResultPageTool: Tool {
    struct Arguments: Decodable, Sendable {
        var cursor: String
        var offset: Int?
        var limit: Int?
    }

    static let name = "query_result_page"
    static let title = "Read a stored result"
    static let description =
        "Read the full data behind a cursor that a query tool returned: series with every point, or list items. Cursors last 30 minutes."
    static let inputSchema: JSONValue = [
        "type": "object",
        "properties": [
            "cursor": ["type": "string", "pattern": "^c[0-9a-f]{24}$"],
            "offset": ["type": "integer", "minimum": 0, "description": "First item (default 0)."],
            "limit": ["type": "integer", "minimum": 1, "maximum": 1000, "description": "Items (default 20)."],
        ],
        "required": ["cursor"], "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = ObservabilityToolset.name
    /// A page never carries more text than this; `limit` shrinks to fit.
    static let maxPageBytes = 512 * 1024
    let cursors: ResultCursors

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let offset = arguments.offset ?? 0
        guard var page = cursors.page(arguments.cursor, offset: offset, limit: arguments.limit ?? 20) else {
            return .error("Cursor \(arguments.cursor) is unknown or has expired (cursors last 30 minutes). Run the query again.")
        }
        var lines: [String] = []
        var bytes = 0
        var kept = 0
        for item in page.items {
            let line = item.encodedString()
            if kept > 0 && bytes + line.utf8.count > Self.maxPageBytes { break }
            bytes += line.utf8.count
            lines.append(line)
            kept += 1
        }
        if kept < page.items.count {
            page.items = Array(page.items.prefix(kept))
            page.next = offset + kept
        }
        let next = page.next.map { "; next offset \($0)" } ?? "; end"
        lines.insert("items \(offset)..<\(offset + kept) of \(page.total)\(next)", at: 0)
        var structured: [String: JSONValue] = ["items": .array(page.items), "total": .int(page.total), "offset": .int(offset)]
        if let nextOffset = page.next { structured["next"] = .int(nextOffset) }
        return .text(lines.joined(separator: "\n"), structured: .object(structured))
    }
}

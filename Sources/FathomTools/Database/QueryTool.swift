import FathomCore

struct QueryTool: Tool {
    struct Arguments: Decodable, Sendable {
        var sql: String
        var max_rows: Int?
        var connection: String?
    }

    static let name = "db_query"
    static let title = "Read-only SQL query"
    static let description =
        "Run one read-only SQL statement (SELECT, WITH, VALUES) and get the rows, at most database.max_rows, with a marker when there were more. Writes are refused by the database itself."
    static let inputSchema: JSONValue = [
        "type": "object",
        "properties": [
            "sql": DatabaseToolset.sqlProperty,
            "max_rows": ["type": "integer", "minimum": 1, "maximum": 100_000, "description": "Fewer rows than the configured cap."],
            "connection": DatabaseToolset.connectionProperty,
        ],
        "required": ["sql"], "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = DatabaseToolset.name
    let databases: Databases

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let database = try databases.database(arguments.connection)
        let cap = min(arguments.max_rows ?? databases.settings.maxRows, databases.settings.maxRows)
        let result = try await database.query(arguments.sql, maxRows: cap)
        var lines = ["\(database.name) · \(result.rows.count) row(s)" + (result.columns.isEmpty ? "" : " · " + result.columns.joined(separator: " | "))]
        lines += result.rows.map(SQLValue.line)
        if result.isTruncated {
            lines.append("[truncated: more than \(cap) rows; add WHERE or LIMIT, or aggregate]")
        }
        return .text(
            lines.joined(separator: "\n"),
            structured: [
                "connection": .string(database.name), "columns": .array(result.columns.map { .string($0) }),
                "rows": .array(result.rows.map { .array($0) }), "rowCount": .int(result.rows.count), "truncated": .bool(result.isTruncated),
            ])
    }
}

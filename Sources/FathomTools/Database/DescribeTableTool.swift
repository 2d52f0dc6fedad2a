import FathomCore

struct DescribeTableTool: Tool {
    struct Arguments: Decodable, Sendable {
        var table: String
        var schema: String?
        var connection: String?
    }

    static let name = "db_describe_table"
    static let title = "Describe a table"
    static let description = "Columns (type, nullable, default, primary key), indexes and an estimated row count of one table or view."
    static let inputSchema: JSONValue = [
        "type": "object",
        "properties": [
            "table": ["type": "string", "minLength": 1, "maxLength": 256],
            "schema": ["type": "string", "maxLength": 256, "description": "PostgreSQL schema (default public)."],
            "connection": DatabaseToolset.connectionProperty,
        ],
        "required": ["table"], "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = DatabaseToolset.name
    let databases: Databases

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let database = try databases.database(arguments.connection)
        let table = try await database.describe(table: arguments.table, schema: arguments.schema)
        var lines = ["\(database.name) · \(table.table)" + (table.rowEstimate.map { " · about \($0) rows" } ?? "")]
        lines += table.columns.map { column in
            "  \(column.name) \(column.type)\(column.isNullable ? "" : " NOT NULL")"
                + (column.defaultValue.map { " DEFAULT \($0)" } ?? "") + (column.isPrimaryKey ? " PRIMARY KEY" : "")
        }
        lines += table.indexes.map { "  \($0)" }
        return .text(
            lines.joined(separator: "\n"),
            structured: [
                "connection": .string(database.name), "table": .string(table.table),
                "columns": .array(table.columns.map { column in
                    [
                        "name": .string(column.name), "type": .string(column.type), "nullable": .bool(column.isNullable),
                        "default": column.defaultValue.map { .string($0) } ?? .null, "primaryKey": .bool(column.isPrimaryKey),
                    ]
                }),
                "indexes": .array(table.indexes.map { .string($0) }),
                "rowEstimate": table.rowEstimate.map { .int($0) } ?? .null,
            ])
    }
}

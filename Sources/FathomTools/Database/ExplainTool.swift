import FathomCore

struct ExplainTool: Tool {
    struct Arguments: Decodable, Sendable {
        var sql: String
        var analyze: Bool?
        var connection: String?
    }

    static let name = "db_explain"
    static let title = "Explain a query"
    static let description = "The database's plan for one statement. With analyze (PostgreSQL), the statement also runs, read-only, and the plan shows real times and rows."
    static let inputSchema: JSONValue = [
        "type": "object",
        "properties": [
            "sql": DatabaseToolset.sqlProperty, "analyze": ["type": "boolean"], "connection": DatabaseToolset.connectionProperty,
        ],
        "required": ["sql"], "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = DatabaseToolset.name
    let databases: Databases

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let database = try databases.database(arguments.connection)
        let plan = try await database.explain(arguments.sql, analyze: arguments.analyze ?? false)
        return .text(
            (["\(database.name) plan:"] + plan).joined(separator: "\n"),
            structured: ["connection": .string(database.name), "plan": .array(plan.map { .string($0) })])
    }
}

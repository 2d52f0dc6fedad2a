import FathomCore

struct ExecuteTool: Tool {
    struct Arguments: Decodable, Sendable {
        var sql: String
        var connection: String?
    }

    static let name = "db_execute"
    static let title = "Execute SQL (writes)"
    static let description =
        "Run one writing SQL statement (INSERT, UPDATE, DELETE, DDL) in its own transaction. Off unless the connection has allow_writes, policy.read_only is off and policy.allow names db_execute."
    static let inputSchema: JSONValue = [
        "type": "object",
        "properties": ["sql": DatabaseToolset.sqlProperty, "connection": DatabaseToolset.connectionProperty],
        "required": ["sql"], "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.write(destructive: true, idempotent: false)
    static let toolset = DatabaseToolset.name
    let databases: Databases

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let database = try databases.database(arguments.connection)
        let outcome = try await database.execute(arguments.sql)
        return .text("\(database.name): \(outcome)", structured: ["connection": .string(database.name), "outcome": .string(outcome)])
    }
}

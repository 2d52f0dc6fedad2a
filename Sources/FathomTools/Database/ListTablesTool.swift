import FathomCore

struct ListTablesTool: Tool {
    struct Arguments: Decodable, Sendable { var connection: String? }

    static let name = "db_list_tables"
    static let title = "List tables"
    static let description = "Tables and views of a database, with their schema."
    static let inputSchema: JSONValue = [
        "type": "object", "properties": ["connection": DatabaseToolset.connectionProperty], "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = DatabaseToolset.name
    let databases: Databases

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let database = try databases.database(arguments.connection)
        let tables = try await database.listTables()
        let lines = tables.map { ($0.schema.map { "\($0)." } ?? "") + $0.name + ($0.type == "table" ? "" : " (\($0.type))") }
        return .text(
            (["\(database.name) (\(database.kind)) · \(tables.count) tables and views"] + lines).joined(separator: "\n"),
            structured: [
                "connection": .string(database.name),
                "tables": .array(tables.map { ["schema": $0.schema.map { .string($0) } ?? .null, "name": .string($0.name), "type": .string($0.type)] }),
            ])
    }
}

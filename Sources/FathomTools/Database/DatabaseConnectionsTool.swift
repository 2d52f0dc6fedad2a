import FathomCore

struct DatabaseConnectionsTool: Tool {
    struct Arguments: Decodable, Sendable {}

    static let name = "db_connections"
    static let title = "Database connections"
    static let description = "The configured databases: name, engine, where, and whether writes are allowed."
    static let inputSchema: JSONValue = ["type": "object", "properties": [:], "additionalProperties": false]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = DatabaseToolset.name
    let databases: Databases

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let rows: [(String, JSONValue)] = databases.settings.connections.map { connection in
            let location = connection.kind == .sqlite
                ? connection.path ?? "" : "\(connection.user)@\(connection.host):\(connection.port)/\(connection.database)"
            return (
                "\(connection.name) (\(connection.kind.rawValue)) \(location)\(connection.allowsWrites ? " writes allowed" : " read-only")",
                [
                    "name": .string(connection.name), "kind": .string(connection.kind.rawValue), "location": .string(location),
                    "allowsWrites": .bool(connection.allowsWrites),
                ]
            )
        }
        return .text(rows.map(\.0).joined(separator: "\n"), structured: ["connections": .array(rows.map(\.1))])
    }
}

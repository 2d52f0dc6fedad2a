import FathomCore

/// SQLite and PostgreSQL: look at the schema, ask read-only questions, and, where allowed, write.
public enum DatabaseToolset {
    public static let name = "database"

    public static func tools(_ databases: Databases) -> [any Tool] {
        guard !databases.isEmpty else { return [] }
        return [
            DatabaseConnectionsTool(databases: databases),
            ListTablesTool(databases: databases),
            DescribeTableTool(databases: databases),
            QueryTool(databases: databases),
            ExplainTool(databases: databases),
            ExecuteTool(databases: databases),
        ]
    }

    static let connectionProperty: JSONValue = [
        "type": "string", "maxLength": 64, "description": "Connection name (see db_connections); default: the first one.",
    ]
    static let sqlProperty: JSONValue = ["type": "string", "minLength": 1, "maxLength": 65536, "description": "One SQL statement."]
}

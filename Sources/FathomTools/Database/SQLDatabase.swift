import FathomCore

/// One configured database, as the database tools see it. SQLite and PostgreSQL implement it.
public protocol SQLDatabase: Sendable {
    var name: String { get }
    var kind: String { get }
    /// Tables and views, with their schema where the engine has schemas.
    func listTables() async throws -> [DatabaseTable]
    func describe(table: String, schema: String?) async throws -> TableDescription
    /// Runs one read-only statement and returns at most `maxRows` rows.
    func query(_ sql: String, maxRows: Int) async throws -> QueryRows
    /// The plan, as the engine prints it; `analyze` runs the statement too (read-only).
    func explain(_ sql: String, analyze: Bool) async throws -> [String]
    /// Runs one writing statement in a transaction and returns what the engine says it changed.
    func execute(_ sql: String) async throws -> String
}

public struct DatabaseTable: Sendable, Equatable {
    public var schema: String?
    public var name: String
    /// `table`, `view`, …
    public var type: String
}

public struct TableDescription: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public var name: String
        public var type: String
        public var isNullable: Bool
        public var defaultValue: String?
        public var isPrimaryKey: Bool
    }

    public var table: String
    public var columns: [Column]
    /// Index and constraint definitions, as the engine writes them.
    public var indexes: [String]
    /// An estimate where the engine keeps one cheaply, else nil.
    public var rowEstimate: Int?
}

/// Rows of a query: values already turned into JSON, in column order.
public struct QueryRows: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[JSONValue]]
    /// More rows existed than `maxRows`.
    public var isTruncated: Bool
}

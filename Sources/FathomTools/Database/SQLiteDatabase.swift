import FathomCore
import Foundation
import GRDB

/// A SQLite file. Queries run on a connection opened read-only with `query_only`, one prepared
/// statement at a time, and only statements SQLite itself calls read-only.
public struct SQLiteDatabase: SQLDatabase {
    public let name: String
    public let kind = "sqlite"
    private let path: String
    private let reader: DatabaseQueue
    private let writer: DatabaseQueue?
    private let timeoutMilliseconds: Int
    private let maxCellBytes: Int

    /// - Throws: when the file cannot be opened.
    public init(_ connection: FathomConfig.DatabaseConnection, settings: FathomConfig.DatabaseSettings) throws {
        name = connection.name
        path = connection.path ?? ""
        timeoutMilliseconds = settings.statementTimeoutMilliseconds
        maxCellBytes = settings.maxCellBytes
        var readOnly = Configuration()
        readOnly.readonly = true
        readOnly.busyMode = .timeout(5)
        readOnly.prepareDatabase { db in
            try db.execute(sql: "PRAGMA query_only = ON")
        }
        do {
            reader = try DatabaseQueue(path: path, configuration: readOnly)
            if connection.allowsWrites {
                var writable = Configuration()
                writable.busyMode = .timeout(5)
                writer = try DatabaseQueue(path: path, configuration: writable)
            } else {
                writer = nil
            }
        } catch {
            throw DatabaseError.unreachable(connection.name, reason: "cannot open \(path): \(error)")
        }
    }

    public func listTables() async throws -> [DatabaseTable] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name"
            ).map { DatabaseTable(schema: nil, name: $0["name"], type: $0["type"]) }
        }
    }

    public func describe(table: String, schema: String?) async throws -> TableDescription {
        try await read { db in
            let columns = try Row.fetchAll(db, sql: "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)", arguments: [table])
            guard !columns.isEmpty else { throw DatabaseError.noSuchTable(table, connection: name) }
            let indexes = try String.fetchAll(
                db, sql: "SELECT sql FROM sqlite_schema WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name",
                arguments: [table])
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)")
            return TableDescription(
                table: table,
                columns: columns.map { row in
                    TableDescription.Column(
                        name: row["name"], type: row["type"], isNullable: (row["notnull"] as Int) == 0, defaultValue: row["dflt_value"],
                        isPrimaryKey: (row["pk"] as Int) > 0)
                }, indexes: indexes, rowEstimate: count)
        }
    }

    public func query(_ sql: String, maxRows: Int) async throws -> QueryRows {
        try await read { db in
            let statement = try Self.singleStatement(db, sql)
            try Self.requireReadOnly(statement)
            let columns = statement.columnNames
            var rows: [[JSONValue]] = []
            let cursor = try Row.fetchCursor(statement)
            var truncated = false
            while let row = try cursor.next() {
                if rows.count == maxRows {
                    truncated = true
                    break
                }
                rows.append(row.databaseValues.map { SQLValue.json($0.storage, maxBytes: maxCellBytes) })
            }
            return QueryRows(columns: columns, rows: rows, isTruncated: truncated)
        }
    }

    public func explain(_ sql: String, analyze: Bool) async throws -> [String] {
        try await read { db in
            let statement = try Self.singleStatement(db, sql)
            try Self.requireReadOnly(statement)
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + statement.sql).map { row in
                "\(row["id"] as Int) \(row["parent"] as Int) \(row["detail"] as String)"
            }
        }
    }

    public func execute(_ sql: String) async throws -> String {
        guard let writer else { throw DatabaseError.writesDisabled(name) }
        return try await run(writer, isWrite: true) { db in
            let statement = try Self.singleStatement(db, sql)
            try statement.execute()
            return "\(db.changesCount) row(s) changed"
        }
    }

    private func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await run(reader, isWrite: false, work)
    }

    /// Runs `work` with the statement timeout: past it, SQLite is interrupted.
    private func run<T: Sendable>(
        _ queue: DatabaseQueue, isWrite: Bool, _ work: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        let timeout = timeoutMilliseconds
        let name = name
        let timer = Task {
            try await Task.sleep(for: .milliseconds(timeout))
            queue.interrupt()
        }
        defer { timer.cancel() }
        do {
            return isWrite ? try await queue.write { db in try work(db) } : try await queue.read { db in try work(db) }
        } catch let error as GRDB.DatabaseError where error.resultCode == .SQLITE_INTERRUPT {
            throw DatabaseError.timeout(name, milliseconds: timeout)
        } catch let error as GRDB.DatabaseError {
            throw DatabaseError.engine(name, message: error.message ?? "\(error)")
        }
    }

    /// GRDB compiles the first statement; anything but white space and comments after it is refused.
    static func singleStatement(_ db: Database, _ sql: String) throws -> Statement {
        let statements = try db.allStatements(sql: sql)
        guard let first = try statements.next() else { throw DatabaseError.engine("sqlite", message: "no statement") }
        guard try statements.next() == nil else { throw DatabaseError.multipleStatements }
        return first
    }

    static func requireReadOnly(_ statement: Statement) throws {
        guard statement.isReadonly else { throw DatabaseError.notReadOnly("SQLite says this statement writes") }
        // ATTACH and DETACH count as read-only (they change the connection, not the file), and VACUUM INTO
        // writes a new file: none of them is a question about the data.
        let keyword = statement.sql.drop(while: { $0.isWhitespace }).prefix(while: { $0.isLetter }).uppercased()
        guard !["ATTACH", "DETACH", "VACUUM", "PRAGMA"].contains(keyword) || (keyword == "PRAGMA" && !statement.sql.contains("=")) else {
            throw DatabaseError.notReadOnly("\(keyword) is not a query")
        }
    }
}

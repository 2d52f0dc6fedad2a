import FathomCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// A PostgreSQL database over one connection that is opened on first use and opened again, with the
/// statement retried once, when it drops (a restarted server, a failover).
///
/// `db_query` runs inside `BEGIN READ ONLY` as a single extended-protocol statement, declared as a
/// cursor: the protocol refuses a second statement, PostgreSQL refuses writes in the transaction,
/// DECLARE accepts only SELECT and VALUES, and FETCH bounds the rows on the server.
public final class PostgresDatabase: SQLDatabase {
    public let name: String
    public let kind = "postgres"
    private let configuration: PostgresConnection.Configuration
    private let settings: FathomConfig.DatabaseSettings
    private let allowsWrites: Bool
    private let session: Session
    private static let logger = Logger(label: "fathom.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// - Throws: when the CA file cannot be loaded.
    public init(_ connection: FathomConfig.DatabaseConnection, settings: FathomConfig.DatabaseSettings) throws {
        name = connection.name
        self.settings = settings
        allowsWrites = connection.allowsWrites
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca = connection.caFile {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
            } catch {
                throw DatabaseError.unreachable(connection.name, reason: "cannot load ca_file \(ca): \(error)")
            }
        }
        let mode: PostgresConnection.Configuration.TLS =
            switch connection.tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: tls))
            case .require: .require(try NIOSSLContext(configuration: tls))
            }
        var configuration = PostgresConnection.Configuration(
            host: connection.host, port: connection.port, username: connection.user, password: connection.password,
            database: connection.database, tls: mode)
        configuration.options.connectTimeout = .seconds(10)
        self.configuration = configuration
        session = Session(configuration: configuration, name: connection.name)
    }

    /// Owns the connection: opened lazily, replaced when it closes.
    private actor Session {
        let configuration: PostgresConnection.Configuration
        let name: String
        private var connection: PostgresConnection?
        private var nextID = 1

        init(configuration: PostgresConnection.Configuration, name: String) {
            self.configuration = configuration
            self.name = name
        }

        /// A runtime that is replaced (SIGHUP) or ends lets its connection go: close it, and keep the
        /// connection alive until it has closed (PostgresNIO insists on that).
        deinit {
            if let connection, !connection.isClosed {
                connection.close().whenComplete { _ in _ = connection }
            }
        }

        func current() async throws -> PostgresConnection {
            if let connection, !connection.isClosed { return connection }
            do {
                nextID += 1
                let opened = try await PostgresConnection.connect(
                    on: OutboundHTTP.eventLoopGroup.any(), configuration: configuration, id: nextID,
                    logger: PostgresDatabase.logger)
                connection = opened
                return opened
            } catch {
                throw DatabaseError.unreachable(name, reason: PostgresDatabase.describe(error))
            }
        }

        func drop(_ stale: PostgresConnection) async {
            if connection === stale {
                connection = nil
            }
            try? await stale.close()
        }
    }

    /// Runs `work` on the connection; when the connection was lost, once more on a new one.
    private func withConnection<T: Sendable>(_ work: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            let connection = try await session.current()
            do {
                return try await work(connection)
            } catch {
                if attempt == 1 && (connection.isClosed || Self.isConnectionLoss(error)) {
                    await session.drop(connection)
                    continue
                }
                throw translate(error)
            }
        }
    }

    private func translate(_ error: any Error) -> any Error {
        if error is DatabaseError || error is CancellationError { return error }
        if let error = error as? PSQLError, error.serverInfo?[.sqlState] == "57014" {
            return DatabaseError.timeout(name, milliseconds: settings.statementTimeoutMilliseconds)
        }
        if let error = error as? PSQLError, error.serverInfo != nil {
            return DatabaseError.engine(name, message: Self.describe(error))
        }
        return DatabaseError.unreachable(name, reason: Self.describe(error))
    }

    static func isConnectionLoss(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .serverClosedConnection, .connectionError, .uncleanShutdown, .clientClosedConnection: return true
        default: return false
        }
    }

    /// The server's message, with its detail and hint, or the client's reason.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo {
            let parts = [info[.message], info[.detail].map { "detail: \($0)" }, info[.hint].map { "hint: \($0)" }].compactMap { $0 }
            return parts.joined(separator: "; ") + (info[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        }
        switch error.code {
        case .connectionError: return "cannot connect (\(error.underlying.map { "\($0)" } ?? "connection error"))"
        case .serverClosedConnection, .uncleanShutdown: return "the server closed the connection"
        default: return "\(error.code)"
        }
    }

    /// `BEGIN READ ONLY`, the statement timeout, `work`, then always `ROLLBACK`.
    private func readOnly<T: Sendable>(_ work: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let timeout = settings.statementTimeoutMilliseconds
        return try await withConnection { connection in
            try await connection.query("BEGIN READ ONLY", logger: Self.logger)
            do {
                try await connection.query(PostgresQuery(unsafeSQL: "SET LOCAL statement_timeout = \(timeout)"), logger: Self.logger)
                let value = try await work(connection)
                try await connection.query("ROLLBACK", logger: Self.logger)
                return value
            } catch {
                if !connection.isClosed { _ = try? await connection.query("ROLLBACK", logger: Self.logger) }
                throw error
            }
        }
    }

    public func query(_ sql: String, maxRows: Int) async throws -> QueryRows {
        let statement = try Self.readOnlyStatementText(sql)
        let maxCellBytes = settings.maxCellBytes
        return try await readOnly { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "DECLARE fathom_query NO SCROLL CURSOR FOR " + statement), logger: Self.logger)
            let rows = try await connection.query(PostgresQuery(unsafeSQL: "FETCH FORWARD \(maxRows + 1) FROM fathom_query"), logger: Self.logger)
            var columns: [String] = []
            var values: [[JSONValue]] = []
            for try await row in rows {
                if columns.isEmpty { columns = row.map(\.columnName) }
                values.append(row.map { PostgresValue.json($0, maxBytes: maxCellBytes) })
            }
            let truncated = values.count > maxRows
            return QueryRows(columns: columns, rows: Array(values.prefix(maxRows)), isTruncated: truncated)
        }
    }

    public func explain(_ sql: String, analyze: Bool) async throws -> [String] {
        let statement = try Self.readOnlyStatementText(sql)
        return try await readOnly { connection in
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: "EXPLAIN (FORMAT TEXT\(analyze ? ", ANALYZE, BUFFERS" : "")) " + statement), logger: Self.logger)
            var lines: [String] = []
            for try await row in rows {
                lines.append(row.first.map { PostgresValue.text($0) } ?? "")
            }
            return lines
        }
    }

    public func listTables() async throws -> [DatabaseTable] {
        let result = try await query(
            """
            SELECT table_schema, table_name, lower(table_type) FROM information_schema.tables
            WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2
            """, maxRows: 10_000)
        return result.rows.map { row in
            DatabaseTable(schema: row[0].stringValue, name: row[1].stringValue ?? "", type: (row[2].stringValue ?? "").replacingOccurrences(of: "base ", with: ""))
        }
    }

    public func describe(table: String, schema: String?) async throws -> TableDescription {
        let schemaName = schema ?? "public"
        let literal = { (text: String) in "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
        let columns = try await query(
            """
            SELECT c.column_name, c.data_type, c.is_nullable, c.column_default,
                   EXISTS (SELECT 1 FROM information_schema.table_constraints t
                           JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name)
                           WHERE t.constraint_type = 'PRIMARY KEY' AND k.table_schema = c.table_schema
                             AND k.table_name = c.table_name AND k.column_name = c.column_name)
            FROM information_schema.columns c
            WHERE c.table_schema = \(literal(schemaName)) AND c.table_name = \(literal(table)) ORDER BY c.ordinal_position
            """, maxRows: 10_000)
        guard !columns.rows.isEmpty else { throw DatabaseError.noSuchTable(schemaName + "." + table, connection: name) }
        let indexes = try await query(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = \(literal(schemaName)) AND tablename = \(literal(table)) ORDER BY indexname",
            maxRows: 1000)
        let estimate = try await query(
            """
            SELECT c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = \(literal(schemaName)) AND c.relname = \(literal(table))
            """, maxRows: 1)
        return TableDescription(
            table: schemaName + "." + table,
            columns: columns.rows.map { row in
                TableDescription.Column(
                    name: row[0].stringValue ?? "", type: row[1].stringValue ?? "", isNullable: row[2].stringValue == "YES",
                    defaultValue: row[3].stringValue, isPrimaryKey: row[4] == .bool(true))
            },
            indexes: indexes.rows.compactMap { $0.first?.stringValue },
            rowEstimate: estimate.rows.first?.first?.intValue.flatMap { $0 >= 0 ? $0 : nil })
    }

    public func execute(_ sql: String) async throws -> String {
        guard allowsWrites else { throw DatabaseError.writesDisabled(name) }
        let statement = try Self.singleStatementText(sql)
        let timeout = settings.statementTimeoutMilliseconds
        return try await withConnection { connection in
            try await connection.query("BEGIN", logger: Self.logger)
            do {
                try await connection.query(PostgresQuery(unsafeSQL: "SET LOCAL statement_timeout = \(timeout)"), logger: Self.logger)
                let rows = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Self.logger)
                var count = 0
                for try await _ in rows { count += 1 }
                try await connection.query("COMMIT", logger: Self.logger)
                return count > 0 ? "done; \(count) row(s) returned" : "done"
            } catch {
                if !connection.isClosed { _ = try? await connection.query("ROLLBACK", logger: Self.logger) }
                throw error
            }
        }
    }

    static func readOnlyStatementText(_ sql: String) throws -> String {
        let text = try singleStatementText(sql)
        if let function = PostgresSafety.deniedFunction(in: text) {
            throw DatabaseError.notReadOnly("\(function)() acts on the server, not on data")
        }
        return text
    }

    /// The statement without a trailing `;`. A second statement would fail in the extended protocol
    /// anyway; refusing it here gives a clearer message.
    static func singleStatementText(_ sql: String) throws -> String {
        var text = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(";") { text = String(text.dropLast()).trimmingCharacters(in: .whitespacesAndNewlines) }
        guard !text.isEmpty else { throw DatabaseError.engine("postgres", message: "the statement is empty") }
        return text
    }
}

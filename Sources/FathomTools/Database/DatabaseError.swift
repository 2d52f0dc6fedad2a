/// Why a database tool failed, and what to do.
public enum DatabaseError: Error, CustomStringConvertible, Equatable {
    case notConfigured
    case unknownConnection(String, known: [String])
    case notReadOnly(String)
    case multipleStatements
    case writesDisabled(String)
    case timeout(String, milliseconds: Int)
    case unreachable(String, reason: String)
    /// The engine refused the statement; its own message is passed on.
    case engine(String, message: String)
    case noSuchTable(String, connection: String)

    public var description: String {
        switch self {
        case .notConfigured:
            "No database is configured. Add connections to tools/database.yaml."
        case .unknownConnection(let name, let known):
            "No database connection is named '\(name)'. Configured: \(known.joined(separator: ", "))."
        case .notReadOnly(let reason):
            "db_query runs read-only statements only: \(reason). Use db_execute for writes, where policy allows them."
        case .multipleStatements:
            "Send one statement per call: a second statement after ';' is not run."
        case .writesDisabled(let name):
            "Writes to '\(name)' are off. Set allow_writes: true on the connection in tools/database.yaml, and allow db_execute in policy."
        case .timeout(let name, let milliseconds):
            "The statement on '\(name)' ran longer than \(milliseconds) ms and was cancelled. Narrow it, or raise database.statement_timeout_ms."
        case .unreachable(let name, let reason):
            "Database '\(name)' is unreachable: \(reason)."
        case .engine(let name, let message):
            "'\(name)' refused the statement: \(message)"
        case .noSuchTable(let table, let connection):
            "'\(connection)' has no table or view named '\(table)'. Call db_list_tables."
        }
    }
}

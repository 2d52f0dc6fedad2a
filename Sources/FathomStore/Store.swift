/// Fathom's durable state. SQLite by default; PostgreSQL when several replicas share it.
public protocol Store: Sendable {
    /// Appends audit rows in one transaction.
    func appendAudit(_ records: [AuditRecord]) async throws
    /// The newest audit rows first.
    func recentAudit(limit: Int, tool: String?) async throws -> [AuditRecord]
    /// Whether the store answers a trivial query: for `doctor` and `/readyz`.
    func checkReachable() async throws
    /// A one-line description for `doctor`, such as the database path and schema version.
    var summary: String { get async }
}

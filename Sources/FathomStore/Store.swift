/// Fathom's durable state. SQLite by default; PostgreSQL when several replicas share it.
public protocol Store: Sendable {
    /// Appends audit rows in one transaction.
    func appendAudit(_ records: [AuditRecord]) async throws
    /// The newest audit rows first.
    func recentAudit(limit: Int, tool: String?) async throws -> [AuditRecord]
    /// Records a run that has started, before its first step.
    func beginRun(_ run: RunRecord) async throws
    /// Appends one step, committed at once, so a crash keeps the steps done so far.
    func appendRunStep(_ step: RunStep, run: String) async throws
    /// Records how a run ended: status, mode, answer and tokens.
    func finishRun(_ run: RunRecord) async throws
    /// A run and its steps, in order; nil when no run has that id.
    func run(id: String) async throws -> (run: RunRecord, steps: [RunStep])?
    /// The newest runs first.
    func recentRuns(limit: Int, agent: String?) async throws -> [RunRecord]
    /// Whether the store answers a trivial query: for `doctor` and `/readyz`.
    func checkReachable() async throws
    /// A one-line description for `doctor`, such as the database path and schema version.
    var summary: String { get async }
}

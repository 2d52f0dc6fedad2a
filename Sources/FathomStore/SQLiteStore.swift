import Foundation
import GRDB

/// The embedded default store: one SQLite file in WAL mode, upgraded by versioned migrations.
public final class SQLiteStore: Store {
    public let path: String
    private let pool: DatabasePool

    /// Opens (creating if needed) the database at `directory/fathom.db` and runs pending migrations.
    /// - Throws: ``StoreError`` when the folder cannot be made or the file is not a usable database.
    public init(directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotCreateDirectory(path: directory, reason: error.localizedDescription)
        }
        path = (directory as NSString).appendingPathComponent("fathom.db")
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // NORMAL is durable across a process crash in WAL mode; only a power loss can drop the last commit.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
        do {
            try Self.migrator.migrate(pool)
        } catch {
            throw StoreError.migrationFailed(reason: "\(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-audit") { db in
            try db.create(table: "audit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .text).notNull()
                t.column("client", .text).notNull()
                t.column("agent", .text)
                t.column("tool", .text).notNull()
                t.column("arguments", .text).notNull()
                t.column("outcome", .text).notNull()
                t.column("error", .text)
                t.column("duration_us", .integer).notNull()
            }
            try db.create(index: "audit_tool_at", on: "audit", columns: ["tool", "at"])
        }
        migrator.registerMigration("v2-runs") { db in
            try db.create(table: "runs") { t in
                t.primaryKey("id", .text)
                t.column("agent", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("client", .text).notNull()
                t.column("question", .text).notNull()
                t.column("status", .text).notNull()
                t.column("answered_by", .text)
                t.column("mode", .text)
                t.column("why", .text)
                t.column("model", .text)
                t.column("answer", .text)
                t.column("prompt_tokens", .integer).notNull().defaults(to: 0)
                t.column("completion_tokens", .integer).notNull().defaults(to: 0)
                t.column("started_at", .text).notNull()
                t.column("finished_at", .text)
            }
            try db.create(index: "runs_started", on: "runs", columns: ["started_at"])
            try db.create(table: "run_steps") { t in
                t.column("run_id", .text).notNull().references("runs", onDelete: .cascade)
                t.column("seq", .integer).notNull()
                t.column("kind", .text).notNull()
                t.column("name", .text).notNull()
                t.column("input", .text).notNull()
                t.column("output", .text).notNull()
                t.column("outcome", .text).notNull()
                t.column("prompt_tokens", .integer).notNull()
                t.column("completion_tokens", .integer).notNull()
                t.column("duration_us", .integer).notNull()
                t.column("at", .text).notNull()
                t.primaryKey(["run_id", "seq"])
            }
        }
        return migrator
    }

    public func appendAudit(_ records: [AuditRecord]) async throws {
        guard !records.isEmpty else { return }
        try await pool.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO audit (at, client, agent, tool, arguments, outcome, error, duration_us)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for record in records {
                try statement.execute(arguments: [
                    Self.timestamp(record.at), record.client, record.agent, record.tool, record.arguments,
                    record.outcome.rawValue, record.error, record.durationMicroseconds,
                ])
            }
        }
    }

    public func recentAudit(limit: Int, tool: String?) async throws -> [AuditRecord] {
        try await pool.read { db in
            var sql = "SELECT at, client, agent, tool, arguments, outcome, error, duration_us FROM audit"
            var arguments: StatementArguments = []
            if let tool {
                sql += " WHERE tool = ?"
                arguments += [tool]
            }
            sql += " ORDER BY id DESC LIMIT ?"
            arguments += [max(1, min(limit, 10_000))]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                AuditRecord(
                    at: Self.date(row["at"]) ?? Date(timeIntervalSince1970: 0), client: row["client"],
                    agent: row["agent"], tool: row["tool"], arguments: row["arguments"],
                    outcome: AuditRecord.Outcome(rawValue: row["outcome"]) ?? .error, error: row["error"],
                    durationMicroseconds: row["duration_us"])
            }
        }
    }

    public func beginRun(_ run: RunRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (id, agent, kind, client, question, status, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [run.id, run.agent, run.kind, run.client, run.question, run.status.rawValue, Self.timestamp(run.startedAt)])
        }
    }

    public func appendRunStep(_ step: RunStep, run: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO run_steps (run_id, seq, kind, name, input, output, outcome, prompt_tokens, completion_tokens, duration_us, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run, step.sequence, step.kind.rawValue, step.name, step.input, step.output, step.outcome, step.promptTokens,
                    step.completionTokens, step.durationMicroseconds, Self.timestamp(step.at),
                ])
        }
    }

    public func finishRun(_ run: RunRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE runs SET status = ?, answered_by = ?, mode = ?, why = ?, model = ?, answer = ?, prompt_tokens = ?, completion_tokens = ?,
                    finished_at = ? WHERE id = ?
                    """,
                arguments: [
                    run.status.rawValue, run.answeredBy, run.mode, run.why, run.model, run.answer, run.promptTokens, run.completionTokens,
                    run.finishedAt.map(Self.timestamp), run.id,
                ])
        }
    }

    public func run(id: String) async throws -> (run: RunRecord, steps: [RunStep])? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) else { return nil }
            let steps = try Row.fetchAll(db, sql: "SELECT * FROM run_steps WHERE run_id = ? ORDER BY seq", arguments: [id]).map { row in
                var step = RunStep(
                    sequence: row["seq"], kind: RunStep.Kind(rawValue: row["kind"]) ?? .note, name: row["name"], input: row["input"],
                    output: row["output"], outcome: row["outcome"], durationMicroseconds: row["duration_us"],
                    at: Self.date(row["at"]) ?? Date(timeIntervalSince1970: 0))
                step.promptTokens = row["prompt_tokens"]
                step.completionTokens = row["completion_tokens"]
                return step
            }
            return (Self.runRecord(row), steps)
        }
    }

    public func recentRuns(limit: Int, agent: String?) async throws -> [RunRecord] {
        try await pool.read { db in
            var sql = "SELECT * FROM runs"
            var arguments: StatementArguments = []
            if let agent {
                sql += " WHERE agent = ?"
                arguments += [agent]
            }
            sql += " ORDER BY started_at DESC LIMIT ?"
            arguments += [max(1, min(limit, 10_000))]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.runRecord)
        }
    }

    private static func runRecord(_ row: Row) -> RunRecord {
        var run = RunRecord(
            id: row["id"], agent: row["agent"], kind: row["kind"], client: row["client"], question: row["question"],
            startedAt: date(row["started_at"]) ?? Date(timeIntervalSince1970: 0))
        run.status = RunRecord.Status(rawValue: row["status"]) ?? .failed
        run.answeredBy = row["answered_by"]
        run.mode = row["mode"]
        run.why = row["why"]
        run.model = row["model"]
        run.answer = row["answer"]
        run.promptTokens = row["prompt_tokens"]
        run.completionTokens = row["completion_tokens"]
        run.finishedAt = date(row["finished_at"])
        return run
    }

    public func checkReachable() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public var summary: String {
        get async {
            let applied = (try? await pool.read { db in try Self.migrator.appliedMigrations(db) }) ?? []
            return "SQLite \(path) (WAL, migrations: \(applied.joined(separator: ", ")))"
        }
    }

    /// `2026-11-22T18:32:43.123456Z`: sortable text, microseconds, UTC. Hand-formatted because
    /// Foundation's ISO 8601 style cost more than the insert itself.
    static func timestamp(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = time_t(micros / 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let fraction = String(micros % 1_000_000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + String(repeating: "0", count: 6 - fraction.count) + fraction + "Z"
    }

    private static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        return try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

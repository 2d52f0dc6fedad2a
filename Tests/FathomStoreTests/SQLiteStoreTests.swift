import FathomCore
@testable import FathomStore
import Foundation
import Testing

@Suite struct SQLiteStoreTests {
    func directory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("fathom-store-\(UUID().uuidString)").path
    }

    func record(_ tool: String, _ outcome: AuditRecord.Outcome = .ok) -> AuditRecord {
        AuditRecord(
            at: Date(timeIntervalSince1970: 1_800_000_000), client: "test", agent: nil, tool: tool,
            arguments: #"{"path":"a"}"#, outcome: outcome, error: outcome == .ok ? nil : "no", durationMicroseconds: 42)
    }

    @Test func auditRowsRoundTripNewestFirst() async throws {
        let store = try SQLiteStore(directory: directory())
        try await store.appendAudit([record("read_text_file"), record("list_directory", .denied)])
        let rows = try await store.recentAudit(limit: 10, tool: nil)
        #expect(rows.map(\.tool) == ["list_directory", "read_text_file"])
        #expect(rows[0].outcome == .denied)
        #expect(rows[0].error == "no")
        #expect(rows[1].at == Date(timeIntervalSince1970: 1_800_000_000))
        #expect(rows[1].durationMicroseconds == 42)
    }

    @Test func filtersByTool() async throws {
        let store = try SQLiteStore(directory: directory())
        try await store.appendAudit([record("a"), record("b"), record("a")])
        #expect(try await store.recentAudit(limit: 10, tool: "a").count == 2)
    }

    @Test func reopeningKeepsRowsAndDoesNotRerunMigrations() async throws {
        let dir = directory()
        try await SQLiteStore(directory: dir).appendAudit([record("a")])
        let reopened = try SQLiteStore(directory: dir)
        #expect(try await reopened.recentAudit(limit: 10, tool: nil).count == 1)
        #expect(await reopened.summary.contains("v1-audit"))
    }

    @Test func usesWriteAheadLogging() async throws {
        let dir = directory()
        let store = try SQLiteStore(directory: dir)
        try await store.appendAudit([record("a")])
        #expect(FileManager.default.fileExists(atPath: dir + "/fathom.db-wal"))
        withExtendedLifetime(store) {}
    }

    @Test func aFileThatIsNotADatabaseIsAClearError() throws {
        let dir = directory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data("this is not sqlite".utf8).write(to: URL(fileURLWithPath: dir + "/fathom.db"))
        let error = #expect(throws: StoreError.self) { try SQLiteStore(directory: dir) }
        #expect(error?.description.contains("fathom.db") == true)
    }


    @Test func auditLogFlushCommitsEveryQueuedRow() async throws {
        let store = try SQLiteStore(directory: directory())
        let log = AuditLog(store: store)
        for index in 0..<250 { log.record(record("tool-\(index)"), arguments: [:]) }
        await log.flush()
        #expect(try await store.recentAudit(limit: 1000, tool: nil).count == 250)
        await log.flush()  // idle: returns at once
    }

    @Test func auditLogRedactsArgumentsAndErrorsBeforeStoring() async throws {
        let store = try SQLiteStore(directory: directory())
        let log = AuditLog(store: store)
        var failed = record("t", .error)
        failed.error = "failed with password=hunter2"
        log.record(failed, arguments: ["path": "a", "api_key": "sk-live-123456"])
        await log.flush()
        let row = try #require(try await store.recentAudit(limit: 1, tool: nil).first)
        #expect(row.arguments == #"{"api_key":"[REDACTED]","path":"a"}"#)
        #expect(row.error == "failed with password=[REDACTED]")
    }

    @Test func timestampsAreSortableUTCWithMicroseconds() {
        #expect(SQLiteStore.timestamp(Date(timeIntervalSince1970: 1_800_000_000.25)) == "2027-01-15T08:00:00.250000Z")
    }
}

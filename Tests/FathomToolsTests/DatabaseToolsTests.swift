import FathomCore
import Foundation
import GRDB
import Testing

@testable import FathomTools

/// The database tools on a real SQLite file, through the registry as every front door calls them.
@Suite struct DatabaseToolsTests {
    let path: String
    let registry: ToolRegistry

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-db-\(UUID().uuidString).db").path
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE pods (name TEXT PRIMARY KEY, restarts INTEGER NOT NULL, node TEXT)")
            for i in 0..<30 {
                try db.execute(sql: "INSERT INTO pods VALUES (?, ?, ?)", arguments: ["pod-\(i)", i % 4, i % 2 == 0 ? "node-a" : nil])
            }
        }
        var connection = FathomConfig.DatabaseConnection(name: "app", kind: .sqlite)
        connection.path = path
        connection.allowsWrites = true
        var settings = FathomConfig.DatabaseSettings()
        settings.connections = [connection]
        settings.maxRows = 10
        var policy = FathomConfig.PolicySettings()
        policy.readOnly = false
        policy.allow = ["db_execute"]
        registry = ToolRegistry(tools: DatabaseToolset.tools(Databases(settings: settings)), policy: Policy(policy), audit: nil)
    }

    func call(_ name: String, _ arguments: JSONValue) async -> ToolResult {
        guard case .result(let result) = await registry.call(name, arguments: arguments, context: ToolContext(client: "test")) else {
            return .error("no result")
        }
        return result
    }

    @Test func queryReturnsTypedRowsAndMarksTheCap() async {
        let rows = await call("db_query", ["sql": "SELECT name, restarts, node FROM pods ORDER BY name LIMIT 2"])
        #expect(rows.structured?["columns"] == ["name", "restarts", "node"])
        #expect(rows.structured?["rows"] == [["pod-0", 0, "node-a"], ["pod-1", 1, nil]])
        let capped = await call("db_query", ["sql": "SELECT * FROM pods"])
        #expect(capped.structured?["rowCount"] == 10 && capped.structured?["truncated"] == true)
        #expect(capped.text.contains("[truncated: more than 10 rows"))
    }

    @Test(arguments: [
        "DELETE FROM pods", "SELECT 1; DELETE FROM pods", "ATTACH DATABASE ':memory:' AS x", "PRAGMA query_only = 0",
        "VACUUM INTO '/tmp/fathom-vacuum-copy.db'", "INSERT INTO pods VALUES ('x', 1, NULL)",
    ])
    func writesThroughQueryAreRefused(sql: String) async throws {
        let result = await call("db_query", ["sql": .string(sql)])
        #expect(result.isError, "\(sql) ran: \(result.text)")
        let count = try await DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM pods") }
        #expect(count == 30)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/fathom-vacuum-copy.db"))
    }

    @Test func executeWritesOneStatementAndDescribeSeesTheSchema() async throws {
        let done = await call("db_execute", ["sql": "UPDATE pods SET restarts = 9 WHERE node IS NULL"])
        #expect(done.text.contains("15 row(s) changed"))
        let twice = await call("db_execute", ["sql": "DELETE FROM pods; DROP TABLE pods"])
        #expect(twice.isError && twice.text.contains("one statement per call"))
        let described = await call("db_describe_table", ["table": "pods"])
        #expect(described.structured?["rowEstimate"] == 30)
        let name = described.structured?["columns"]?.arrayValue?.first
        #expect(name?["name"] == "name" && name?["primaryKey"] == true)
        let missing = await call("db_query", ["sql": "SELECT 1", "connection": "nope"])
        #expect(missing.isError && missing.text.contains("Configured: app"))
    }
}

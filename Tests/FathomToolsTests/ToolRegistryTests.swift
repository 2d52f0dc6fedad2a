import FathomCore
import FathomStore
import Foundation
import Synchronization
import Testing

@testable import FathomTools

/// A registry over a sandbox, with its audit store, as the front doors build it.
struct Harness {
    let sandbox: Sandbox
    let store: SQLiteStore
    let audit: AuditLog
    let registry: ToolRegistry

    init(policy: (inout FathomConfig.PolicySettings) -> Void = { _ in }, filesystem: (inout FathomConfig.FilesystemSettings) -> Void = { _ in }) throws {
        sandbox = try Sandbox()
        store = try SQLiteStore(directory: sandbox.base + "/state")
        audit = AuditLog(store: store)
        var fsSettings = FathomConfig.FilesystemSettings()
        fsSettings.roots = [sandbox.root]
        filesystem(&fsSettings)
        var policySettings = FathomConfig.PolicySettings()
        policy(&policySettings)
        registry = ToolRegistry(
            tools: FilesystemToolset.tools(FilesystemAccess(settings: fsSettings, home: sandbox.root)),
            policy: Policy(policySettings), audit: audit)
    }

    func call(_ name: String, _ arguments: JSONValue, context: ToolContext = ToolContext(client: "test")) async -> ToolResult {
        switch await registry.call(name, arguments: arguments, context: context) {
        case .result(let result): return result
        case .unknownTool: return .error("unknown tool")
        case .cancelled: return .error("cancelled")
        }
    }

    func auditRows() async throws -> [AuditRecord] {
        await audit.flush()
        return try await store.recentAudit(limit: 100, tool: nil)
    }
}

@Suite struct ToolRegistryTests {
    @Test func everyCallIsAuditedWithRedactedArguments() async throws {
        let harness = try Harness()
        _ = await harness.call("read_text_file", ["path": "hello.txt"])
        _ = await harness.call("read_text_file", ["path": "../outside/secret.txt"])
        _ = await harness.call("write_file", ["path": "x.txt", "content": "password=hunter2"])
        _ = await harness.call("read_text_file", ["path": 42])
        let rows = try await harness.auditRows()
        #expect(rows.map(\.outcome) == [.invalid, .denied, .error, .ok])
        #expect(rows.allSatisfy { $0.client == "test" })
        #expect(!rows[1].arguments.contains("hunter2"))
        #expect(rows[1].error?.contains("read-only") == true)
    }

    @Test func destructiveCallsArePutToThePersonWithTheirArgumentsShortened() async throws {
        let harness = try Harness {
            $0.readOnly = false
            $0.allow = ["write_file", "edit_file"]
        }
        let asked = Mutex<[String]>([])
        let declining = ToolContext(client: "ide", approve: { message in
            asked.withLock { $0.append(message) }
            return .declined("the user declined it")
        })
        let big = String(repeating: "x", count: 100_000)
        let result = await harness.call("write_file", ["path": "new.txt", "content": .string(big)], context: declining)
        #expect(result.isError && result.text == "write_file was not run: the user declined it.")
        #expect(harness.sandbox.read("root/new.txt") == nil)
        let message = try #require(asked.withLock { $0.first })
        #expect(message.hasPrefix("ide asks Fathom to run write_file") && message.contains(#"path: "new.txt""#))
        #expect(message.count < 1000 && message.contains("(100002 bytes)"))
        let dryRun = await harness.call("edit_file", ["path": "hello.txt", "edits": [["oldText": "line1", "newText": "one"]], "dryRun": true], context: declining)
        #expect(!dryRun.isError && asked.withLock { $0.count } == 1, "a dry run is not asked")
        #expect(try await harness.auditRows().first { $0.tool == "write_file" }?.outcome == .denied)
    }

    @Test func readOnlyModeHidesWriteTools() throws {
        let names = try Harness().registry.descriptors(client: "c").map(\.name)
        #expect(names.contains("read_text_file"))
        #expect(!names.contains("write_file"))
        #expect(!names.contains("create_directory"))
        #expect(names.count == 9)
    }

    @Test func schemaViolationsAreToolErrorsThatNameTheField() async throws {
        let result = await (try Harness()).call("read_text_file", ["path": "hello.txt", "head": "ten"])
        #expect(result.isError)
        #expect(result.text.contains("arguments.head: expected integer, got string"))
        let missing = await (try Harness()).call("move_file", [:])
        #expect(missing.isError)
    }

    @Test func unknownToolIsReportedAsSuch() async throws {
        let harness = try Harness()
        let outcome = await harness.registry.call("rm_rf", arguments: nil, context: ToolContext(client: "t"))
        #expect(outcome == .unknownTool("rm_rf"))
    }

    @Test func structuredOutputIsCheckedAgainstTheOutputSchema() async throws {
        let result = await (try Harness()).call("get_file_info", ["path": "hello.txt"])
        #expect(!result.isError)
        #expect(result.structured?["type"] == "file")
        #expect(result.structured?["size"] == 24)
    }

    @Test func cancellationStopsALongSearchAndIsAudited() async throws {
        let harness = try Harness(filesystem: { $0.maxEntries = 10_000_000 })
        for index in 0..<3000 {
            try harness.sandbox.write("root/sub/deeper/f\(index).txt", "content \(index)\n")
        }
        let task = Task { () -> ToolRegistry.Outcome in
            await harness.registry.call(
                "search_files", arguments: ["path": ".", "pattern": "*.txt", "content": "never-present"],
                context: ToolContext(client: "test"))
        }
        task.cancel()
        #expect(await task.value == .cancelled)
        #expect(try await harness.auditRows().first?.outcome == .cancelled)
    }
}

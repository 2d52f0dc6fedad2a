import FathomCore
import Foundation
import Testing

@testable import FathomMCP

@Suite struct MCPSessionTests {
    @Test(arguments: ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"])
    func negotiatesEachSupportedVersion(version: String) async throws {
        let reply = try await MCPHarness().initialize(version: version)
        #expect(reply["result"]?["protocolVersion"] == .string(version))
        #expect(reply["result"]?["capabilities"]?["resources"]?["subscribe"] == true)
        #expect(reply["result"]?["serverInfo"]?["name"] == "fathom")
    }

    @Test func anUnknownVersionGetsTheLatest() async throws {
        let reply = try await MCPHarness().initialize(version: "1999-01-01")
        #expect(reply["result"]?["protocolVersion"] == .string(ProtocolVersion.latest))
    }

    @Test func toolShapesFollowTheNegotiatedRevision() async throws {
        let old = try MCPHarness()
        _ = await old.initialize(version: "2024-11-05")
        let oldTools = await old.request(1, "tools/list")["result"]?["tools"]?.arrayValue ?? []
        #expect(oldTools.count == 9)
        #expect(oldTools.allSatisfy { $0["annotations"] == nil && $0["outputSchema"] == nil && $0["title"] == nil })

        let new = try MCPHarness()
        _ = await new.initialize(version: "2025-11-25")
        let tools = await new.request(1, "tools/list")["result"]?["tools"]?.arrayValue ?? []
        let info = tools.first { $0["name"] == "get_file_info" }
        #expect(info?["outputSchema"]?["type"] == "object")
        #expect(info?["annotations"]?["readOnlyHint"] == true)
    }

    @Test func callsATool() async throws {
        let harness = try MCPHarness()
        _ = await harness.initialize()
        let reply = await harness.request(2, "tools/call", #"{"name":"read_text_file","arguments":{"path":"hello.txt"}}"#)
        #expect(reply["id"] == 2)
        #expect(reply["result"]?["content"]?.arrayValue?.first?["text"] == "hello\n")
        #expect(reply["result"]?["isError"] == nil)
    }

    @Test func toolFailuresAreResultsNotProtocolErrors() async throws {
        let harness = try MCPHarness()
        _ = await harness.initialize()
        let reply = await harness.request(2, "tools/call", #"{"name":"read_text_file","arguments":{"path":"/etc/passwd"}}"#)
        #expect(reply["result"]?["isError"] == true)
        let invalid = await harness.request(3, "tools/call", #"{"name":"read_text_file","arguments":{"path":7}}"#)
        #expect(invalid["result"]?["isError"] == true)
    }

    @Test func protocolErrorsUseTheSpecCodes() async throws {
        let harness = try MCPHarness()
        _ = await harness.initialize()
        #expect(await harness.request(1, "tools/call", #"{"name":"nope"}"#)["error"]?["code"] == -32602)
        #expect(await harness.request(2, "tools/call", #"{"arguments":{}}"#)["error"]?["code"] == -32602)
        #expect(await harness.request(3, "no/such/method")["error"]?["code"] == -32601)
        #expect(await harness.request(4, "tools/list", #"{"cursor":"garbage"}"#)["error"]?["code"] == -32602)
        #expect(await harness.request(5, "tools/call", "[1]")["error"]?["code"] == -32602)
    }

    @Test(arguments: [
        ("{not json", -32700), ("\u{1}\u{2}\u{ff}", -32700), (#"{"id":1,"method":"ping"}"#, -32600),
        (#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#, -32600), ("42", -32600), (#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#, -32600),
        (#"{"jsonrpc":"2.0","id":1,"method":5}"#, -32600), ("[]", -32600),
    ])
    func malformedMessagesGetTheRightError(message: String, code: Int) async throws {
        let harness = try MCPHarness()
        _ = await harness.initialize()
        await harness.send(message)
        let reply = await harness.sink.nextReply()
        #expect(reply["error"]?["code"] == .int(code))
        #expect(await harness.request(9, "ping")["result"] == [:])
    }

    @Test func parseErrorsCarryANullID() async throws {
        let harness = try MCPHarness()
        await harness.send("{oops")
        let reply = await harness.sink.nextReply()
        #expect(reply["id"] == .null)
        #expect(reply.objectValue?.keys.contains("id") == true)
    }

    @Test func responsesAreNeverAnsweredEvenWithANullID() async throws {
        let harness = try MCPHarness()
        _ = await harness.initialize()
        await harness.send(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"your reply was garbage"}}"#)
        await harness.send(#"{"jsonrpc":"2.0","id":"unknown","result":{}}"#)
        // The next message out is the ping's reply: the two responses above got none.
        #expect(await harness.request(5, "ping")["id"] == 5)
    }

    @Test func requestsBeforeInitializeAreRefusedButPingWorks() async throws {
        let harness = try MCPHarness()
        #expect(await harness.request(1, "tools/list")["error"]?["code"] == -32600)
        #expect(await harness.request(2, "ping")["result"] == [:])
    }

    @Test func batchesWorkOnlyWhereTheRevisionAllowsThem() async throws {
        let old = try MCPHarness()
        _ = await old.initialize(version: "2025-03-26")
        await old.send(#"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"nope"}]"#)
        let batch = await old.sink.nextReply()
        #expect(batch.arrayValue?.count == 2)
        #expect(batch.arrayValue?.last?["error"]?["code"] == -32601)

        let new = try MCPHarness()
        _ = await new.initialize(version: "2025-11-25")
        await new.send(#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#)
        #expect(await new.sink.nextReply()["error"]?["code"] == -32600)
    }

    @Test func oversizedBatchesAreRefusedWhole() async throws {
        let harness = try MCPHarness()
        _ = await harness.initialize(version: "2025-03-26")
        let items = (0...MCPSession.maxBatch).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"ping"}"# }
        await harness.send("[" + items.joined(separator: ",") + "]")
        let reply = await harness.sink.nextReply()
        #expect(reply["error"]?["code"] == -32600)
        #expect(reply["error"]?["message"]?.stringValue?.contains("at most 1000") == true)
    }

    @Test func paginationWalksEveryToolOnce() async throws {
        let harness = try MCPHarness(pageSize: 4)
        _ = await harness.initialize()
        var names: [String] = []
        var cursor: JSONValue? = nil
        var id = 1
        repeat {
            let params = cursor.map { #"{"cursor":\#($0.encodedString())}"# } ?? "{}"
            let result = await harness.request(id, "tools/list", params)["result"]
            names += result?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            cursor = result?["nextCursor"]
            id += 1
        } while cursor != nil && id < 20
        #expect(names.count == 9)
        #expect(Set(names).count == 9)
    }

    @Test func cancellationStopsTheCallAndSendsNoReply() async throws {
        let harness = try MCPHarness()
        for index in 0..<4000 {
            try "x".write(toFile: harness.sandbox + "/root/sub/f\(index).txt", atomically: false, encoding: .utf8)
        }
        _ = await harness.initialize()
        await harness.send(#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"search_files","arguments":{"path":".","pattern":"*","content":"never"},"_meta":{"progressToken":"p"}}}"#)
        // Cancel once the search is known to be under way.
        #expect(await harness.sink.next()["method"] == "notifications/progress")
        await harness.send(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7,"reason":"test"}}"#)
        // The next reply must be the ping's: the cancelled call answers nothing.
        await harness.send(#"{"jsonrpc":"2.0","id":8,"method":"ping"}"#)
        #expect(await harness.sink.nextReply()["id"] == 8)
        await harness.session.close()
        await harness.audit.flush()
        let rows = try await harness.store.recentAudit(limit: 5, tool: "search_files")
        #expect(rows.first?.outcome == .cancelled)
    }

    @Test func progressNotificationsCarryTheToken() async throws {
        let harness = try MCPHarness()
        for index in 0..<1100 {
            try "x".write(toFile: harness.sandbox + "/root/sub/f\(index).txt", atomically: false, encoding: .utf8)
        }
        _ = await harness.initialize()
        await harness.send(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"search_files","arguments":{"path":".","pattern":"*.md"},"_meta":{"progressToken":42}}}"#)
        let first = await harness.sink.next()
        #expect(first["method"] == "notifications/progress")
        #expect(first["params"]?["progressToken"] == 42)
    }

    @Test func logLevelControlsLogNotifications() async throws {
        let harness = try MCPHarness()
        _ = await harness.initialize()
        #expect(await harness.request(1, "logging/setLevel", #"{"level":"loud"}"#)["error"]?["code"] == -32602)
        #expect(await harness.request(2, "logging/setLevel", #"{"level":"debug"}"#)["result"] == [:])
        await harness.send(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_allowed_directories"}}"#)
        let log = await harness.sink.next()
        #expect(log["method"] == "notifications/message")
        #expect(log["params"]?["level"] == "debug")
    }

    @Test func resourcesListReadAndSubscribe() async throws {
        let harness = try MCPHarness()
        _ = await harness.initialize()
        let list = await harness.request(1, "resources/list")["result"]?["resources"]?.arrayValue ?? []
        let uri = "file://" + harness.sandbox + "/root/hello.txt"
        #expect(list.map { $0["uri"] } == [.string(uri)])
        let read = await harness.request(2, "resources/read", #"{"uri":"\#(uri)"}"#)
        #expect(read["result"]?["contents"]?.arrayValue?.first?["text"] == "hello\n")
        #expect(await harness.request(3, "resources/read", #"{"uri":"file:///etc/passwd"}"#)["error"] != nil)
        #expect(await harness.request(4, "resources/read", #"{"uri":"file://\#(harness.sandbox)/root/none.txt"}"#)["error"]?["code"] == -32002)
        let templates = await harness.request(5, "resources/templates/list")["result"]?["resourceTemplates"]?.arrayValue
        #expect(templates?.first?["uriTemplate"] == "file:///{path}")
        #expect(await harness.request(6, "resources/subscribe", #"{"uri":"\#(uri)"}"#)["result"] == [:])
        try "changed\n".write(toFile: harness.sandbox + "/root/hello.txt", atomically: true, encoding: .utf8)
        let update = await harness.sink.next()
        #expect(update["method"] == "notifications/resources/updated")
        #expect(update["params"]?["uri"] == .string(uri))
        await harness.session.close()
    }

    @Test func promptsAndCompletion() async throws {
        let prompt = PromptTemplate(
            name: "investigate-alert", title: "Investigate", description: "d",
            arguments: [.init(name: "alertname", description: nil, isRequired: true, values: ["KubePodCrashLooping", "KubeNodeNotReady"])],
            body: "Investigate {{alertname}} now.")
        let harness = try MCPHarness(prompts: [prompt])
        _ = await harness.initialize()
        #expect(await harness.request(1, "prompts/list")["result"]?["prompts"]?.arrayValue?.first?["name"] == "investigate-alert")
        let got = await harness.request(2, "prompts/get", #"{"name":"investigate-alert","arguments":{"alertname":"X"}}"#)
        #expect(got["result"]?["messages"]?.arrayValue?.first?["content"]?["text"] == "Investigate X now.")
        #expect(await harness.request(3, "prompts/get", #"{"name":"investigate-alert"}"#)["error"]?["code"] == -32602)
        #expect(await harness.request(4, "prompts/get", #"{"name":"nope"}"#)["error"]?["code"] == -32602)
        let completion = await harness.request(
            5, "completion/complete", #"{"ref":{"type":"ref/prompt","name":"investigate-alert"},"argument":{"name":"alertname","value":"KubeP"}}"#)
        #expect(completion["result"]?["completion"]?["values"] == ["KubePodCrashLooping"])
        let paths = await harness.request(
            6, "completion/complete", #"{"ref":{"type":"ref/resource","uri":"file:///{path}"},"argument":{"name":"path","value":"\#(harness.sandbox.dropFirst())/root/he"}}"#)
        #expect(paths["result"]?["completion"]?["values"] == [.string(harness.sandbox.dropFirst() + "/root/hello.txt")])
    }

    @Test func clientRootsAreFetchedAndUsed() async throws {
        let harness = try MCPHarness()
        _ = await harness.request(0, "initialize", #"{"protocolVersion":"2025-11-25","capabilities":{"roots":{"listChanged":true}},"clientInfo":{"name":"c","version":"1"}}"#)
        await harness.send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        let request = await harness.sink.next()
        #expect(request["method"] == "roots/list")
        let id = request["id"]?.encodedString() ?? "null"
        await harness.send(#"{"jsonrpc":"2.0","id":\#(id),"result":{"roots":[{"uri":"file://\#(harness.sandbox)/root/sub","name":"sub"}]}}"#)
        #expect(await harness.sink.next()["method"] == "notifications/resources/list_changed")
        let reply = await harness.request(1, "tools/call", #"{"name":"list_allowed_directories"}"#)
        #expect(reply["result"]?["structuredContent"]?["directories"] == [.string(harness.sandbox + "/root/sub")])
    }
}

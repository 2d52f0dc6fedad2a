import FathomCore
import Foundation
import Synchronization
import Testing

@testable import FathomMCP

@Suite struct HTTPSessionTests {
    static let initialize = Data(
        #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#.utf8)

    func json(_ outcome: PostExchange.Outcome) throws -> JSONValue {
        guard case .json(let data) = outcome else {
            Issue.record("expected a JSON reply, got \(outcome)")
            return .null
        }
        return try JSONParser.parse(data)
    }

    @Test func quickRepliesAreJSONAndNotificationsAreAccepted() async throws {
        let harness = try MCPHarness()
        let table = HTTPSessionTable(maxSessions: 10, idleTimeout: .seconds(60)) { harness.services }
        let session = try table.open(identity: nil)
        let reply = try json(await session.post(Self.initialize, canStream: true))
        #expect(reply["result"]?["protocolVersion"] == "2025-11-25")
        #expect(session.mcp.isInitialized)
        guard case .accepted = await session.post(Data(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.utf8), canStream: true) else {
            Issue.record("a notification must be accepted without a body")
            return
        }
        let listed = try json(await session.post(Data(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#.utf8), canStream: true))
        #expect(listed["result"]?["tools"]?.arrayValue?.isEmpty == false)
    }

    /// An initialized session over a tree large enough for search_files to report progress, and a
    /// search call (id 5) that asks for it.
    func searchWithProgress(canStream: Bool) async throws -> (HTTPSession, Data) {
        let harness = try MCPHarness()
        for index in 0..<1200 { try "x".write(toFile: harness.sandbox + "/root/sub/f\(index)", atomically: false, encoding: .utf8) }
        let table = HTTPSessionTable(maxSessions: 10, idleTimeout: .seconds(60)) { harness.services }
        let session = try table.open(identity: nil)
        _ = await session.post(Self.initialize, canStream: canStream)
        let call = #"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"search_files","arguments":{"path":"\#(harness.sandbox)/root","pattern":"*.none"},"_meta":{"progressToken":"t"}}}"#
        return (session, Data(call.utf8))
    }

    @Test func progressTurnsTheReplyIntoAStreamEndingWithTheResult() async throws {
        let (session, call) = try await searchWithProgress(canStream: true)
        guard case .stream(let stream) = await session.post(call, canStream: true) else {
            Issue.record("progress should have opened a stream")
            return
        }
        var reader = try #require(stream.attach(after: nil))
        var methods: [String] = []
        while case .event(let event)? = await reader.next() {
            // A priming event (empty) comes first when the call outlasts the JSON window; it carries no message.
            if event.data.isEmpty {
                #expect(methods.isEmpty && event.sequence == 1)
                continue
            }
            let message = try JSONParser.parse(event.data)
            methods.append(message["method"]?.stringValue ?? "reply:\(message["id"]?.intValue ?? -1)")
        }
        #expect(methods.first == "notifications/progress")
        #expect(methods.last == "reply:5")
        // The finished stream stays resumable under its number.
        #expect(try session.resume(lastEventID: "\(stream.number)-1").stream === stream)
    }

    @Test func withoutEventStreamNotificationsAreDroppedAndTheReplyIsJSON() async throws {
        let (session, call) = try await searchWithProgress(canStream: false)
        let reply = try json(await session.post(call, canStream: false))
        #expect(reply["id"] == 5 && reply["result"] != nil)
    }

    @Test func aSlowReplyBecomesAResumableStreamWithAPrimingEvent() async throws {
        let exchange = PostExchange(canStream: true) { EventStream(number: 7) }
        // A scheduler whose timer has already run out.
        let outcome = await exchange.outcome(streamAfter: .milliseconds(250)) { _, work in
            work()
            return {}
        }
        guard case .stream(let stream) = outcome else {
            Issue.record("expected a stream, got \(outcome)")
            return
        }
        exchange.notify(Data(#"{"jsonrpc":"2.0","method":"notifications/progress","params":{}}"#.utf8))
        exchange.reply(Data(#"{"jsonrpc":"2.0","id":1,"result":{}}"#.utf8))
        var reader = try #require(stream.attach(after: nil))
        var events: [EventStream.Event] = []
        while case .event(let event)? = await reader.next() { events.append(event) }
        #expect(events.map(\.sequence) == [1, 2, 3])
        #expect(events[0].data.isEmpty, "the priming event carries only an id")
        #expect(String(decoding: events[2].data, as: UTF8.self).contains(#""id":1"#))
    }

    @Test func aQuickReplyStaysJSONAndCancelsTheTimer() async throws {
        let exchange = PostExchange(canStream: true) { EventStream(number: 1) }
        exchange.reply(Data(#"{"jsonrpc":"2.0","id":1,"result":{}}"#.utf8))
        let scheduled = Mutex(0)
        let outcome = await exchange.outcome(streamAfter: .milliseconds(250)) { _, _ in
            scheduled.withLock { $0 += 1 }
            return {}
        }
        guard case .json = outcome else {
            Issue.record("expected JSON, got \(outcome)")
            return
        }
        #expect(scheduled.withLock { $0 } == 0, "a reply that is already in needs no timer")
    }

    @Test func resumeRejectsForeignAndMalformedIDs() async throws {
        let harness = try MCPHarness()
        let table = HTTPSessionTable(maxSessions: 10, idleTimeout: .seconds(60)) { harness.services }
        let session = try table.open(identity: nil)
        for bad in ["", "x-1", "1", "-1-1", "99-1"] {
            #expect(throws: HTTPSession.ResumeError.self) { try session.resume(lastEventID: bad) }
        }
        #expect(throws: Never.self) { try session.resume(lastEventID: "0-0") }
    }

    @Test func capIdentityAndIdleExpiry() async throws {
        let harness = try MCPHarness()
        let table = HTTPSessionTable(maxSessions: 2, idleTimeout: .milliseconds(50)) { harness.services }
        let mine = try table.open(identity: "alice")
        _ = try table.open(identity: nil)
        #expect(throws: HTTPSessionTable.Full.self) { try table.open(identity: nil) }
        #expect(table.session(mine.id, identity: "alice") === mine)
        #expect(table.session(mine.id, identity: "bob") == nil, "another identity cannot use the session")
        #expect(table.session(mine.id, identity: nil) == nil)
        mine.touch(busy: 1)
        #expect(await table.closeIdle(now: .now + .seconds(1)) == 1, "only the session without open work expires")
        mine.touch(busy: -1)
        #expect(await table.closeIdle(now: .now + .seconds(1)) == 1)
        #expect(table.count == 0)
    }

    @Test func sessionIDsAreRandomHex() {
        let ids = Set((0..<1000).map { _ in HTTPSessionTable.newID() })
        #expect(ids.count == 1000)
        #expect(ids.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
    }

    @Test func statelessRepliesCarryTheRevisionsFields() throws {
        let reply = MCPSession.statelessReply(
            Data(#"{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}"#.utf8), method: "tools/list", version: "9.9").data
        let value = try JSONParser.parse(reply)
        #expect(value["result"]?["resultType"] == "complete")
        #expect(value["result"]?["ttlMs"] == 0 && value["result"]?["cacheScope"] == "private")
        #expect(value["result"]?["_meta"]?["io.modelcontextprotocol/serverInfo"]?["version"] == "9.9")
        let error = Data(#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"m"}}"#.utf8)
        #expect(MCPSession.statelessReply(error, method: "x", version: "1").data == error, "errors pass through")
    }
}

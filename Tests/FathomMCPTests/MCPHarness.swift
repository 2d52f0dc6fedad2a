import FathomCore
import FathomStore
import FathomTools
import Foundation
import Synchronization

@testable import FathomMCP

/// Collects what a session sends, and lets a test wait for the next message without sleeping.
final class RecordingSink: MessageSink {
    private struct State {
        var messages: [Data] = []
        var waiter: CheckedContinuation<Data, Never>?
    }
    private let state = Mutex(State())

    func send(_ message: Data) {
        let waiter = state.withLock { state -> CheckedContinuation<Data, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.messages.append(message)
            return nil
        }
        waiter?.resume(returning: message)
    }

    /// The next message as JSON.
    func next() async -> JSONValue {
        let data = await withCheckedContinuation { (continuation: CheckedContinuation<Data, Never>) in
            let ready = state.withLock { state -> Data? in
                if !state.messages.isEmpty { return state.messages.removeFirst() }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
        return (try? JSONDecoder().decode(JSONValue.self, from: data)) ?? .null
    }

    /// The next message that is a reply (has an id and no method).
    func nextReply() async -> JSONValue {
        while true {
            let message = await next()
            if message["method"] == nil { return message }
        }
    }
}

struct MCPHarness {
    let sandbox: String
    let sink = RecordingSink()
    let session: MCPSession
    let store: SQLiteStore
    let audit: AuditLog
    let services: MCPServices

    init(pageSize: Int = 100, prompts: [PromptTemplate] = [], policy: (inout FathomConfig.PolicySettings) -> Void = { _ in }) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-mcp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: base + "/root/sub", withIntermediateDirectories: true)
        sandbox = URL(fileURLWithPath: base).resolvingSymlinksInPath().path
        try "hello\n".write(toFile: sandbox + "/root/hello.txt", atomically: false, encoding: .utf8)
        var config = FathomConfig(home: sandbox)
        config.filesystem.roots = [sandbox + "/root"]
        config.mcp.pageSize = pageSize
        policy(&config.policy)
        store = try SQLiteStore(directory: sandbox + "/state")
        audit = AuditLog(store: store)
        let access = FilesystemAccess(settings: config.filesystem, home: sandbox)
        let registry = ToolRegistry(tools: FilesystemToolset.tools(access), policy: Policy(config.policy), audit: audit)
        services = MCPServices(
            registry: registry, prompts: PromptRegistry(prompts: prompts), filesystem: access, config: config, version: "test")
        session = MCPSession(services: services, sink: sink)
    }

    func send(_ json: String) async {
        await session.receive(Data(json.utf8))
    }

    /// Sends a request and returns its reply.
    func request(_ id: Int, _ method: String, _ params: String = "{}") async -> JSONValue {
        await send(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#)
        return await sink.nextReply()
    }

    func initialize(version: String = "2025-11-25", capabilities: String = "{}") async -> JSONValue {
        let reply = await request(
            0, "initialize", #"{"protocolVersion":"\#(version)","capabilities":\#(capabilities),"clientInfo":{"name":"swift-test","version":"1"}}"#)
        await send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        return reply
    }
}

import FathomAgents
import FathomCore
import FathomStore
import FathomTestSupport
import Foundation
import Synchronization
import Testing

/// The engine against the scripted OpenAI-compatible server: the ReAct path, and each way a model fails, ending on
/// the deterministic path with `mode: fallback` and why.
@Suite(.serialized) struct AgentEngineTests {
    @Test func theModelCallsToolsAndAnswers() async throws {
        let server = try await ScriptedLLMServer()
        let harness = try AgentHarness(agents: [AgentHarness.doctor()], models: [("local", server.url)])
        try await server.setReplies([
            ["tool_calls": [["name": "read_text_file", "arguments": ["path": .string(harness.notes)]]]],
            ["content": "Checkout is OOMKilled: its limit is 256Mi."],
        ])
        let tokens = TokenCollector()
        let answer = try await harness.engine.ask(
            "Why does checkout restart?", client: "test", events: AgentEvents(onToken: tokens.append))
        #expect(answer.mode == .llm(model: "local"))
        #expect(answer.text == "Checkout is OOMKilled: its limit is 256Mi.")
        #expect(answer.toolCalls == 1)
        #expect(tokens.text == answer.text)
        let sent = try await server.requests()
        #expect(sent.count == 2)
        let system = sent[0]["messages"]?.arrayValue?.first?["content"]?.stringValue ?? ""
        #expect(system.contains("You are careful."))
        #expect(system.contains("never instructions"))
        #expect(sent[0]["tools"]?.arrayValue?.compactMap { $0["function"]?["name"]?.stringValue }.sorted()
            == ["list_allowed_directories", "read_text_file", "search_files"], "write_file is not offered: policy is read-only")
        let toolMessage = try #require(sent[1]["messages"]?.arrayValue?.last)
        #expect(toolMessage["role"] == "tool")
        let framed = toolMessage["content"]?.stringValue ?? ""
        #expect(framed.hasPrefix("<tool_output tool=\"read_text_file\" status=\"ok\">"))
        #expect(framed.contains("OOMKilled"))
        let (run, steps) = try #require(try await harness.store.run(id: answer.runID))
        #expect(run.status == .done && run.mode == "llm" && run.model == "local")
        #expect(steps.map(\.kind) == [.llm, .tool, .llm])
        #expect(run.promptTokens > 0 && run.completionTokens > 0)
    }

    struct FailureMode: Sendable, CustomTestStringConvertible {
        var name: String
        var replies: [JSONValue]
        var why: String
        var steps = 8
        var tokens = 32_000
        var seconds = 60
        var modelTimeout = 10.0
        var unreachable = false
        var stream = false
        var testDescription: String { name }
    }

    static let failures: [FailureMode] = [
        FailureMode(name: "unreachable", replies: [], why: "is unreachable", unreachable: true),
        FailureMode(name: "server error", replies: [["status": 500, "message": "CUDA out of memory"]], why: "HTTP 500: CUDA out of memory"),
        FailureMode(name: "malformed reply", replies: [["raw": "{\"choices\": ["]], why: "malformed reply"),
        FailureMode(
            name: "stalled stream", replies: [["content": "thinking hard", "stall_after_chunks": 2]], why: "did not answer within 1 s", modelTimeout: 1,
            stream: true),
        FailureMode(name: "slow reply", replies: [["content": "late", "delay": 3]], why: "did not answer within 1 s", modelTimeout: 1),
        FailureMode(name: "cut stream", replies: [["content": "a long answer", "truncate_after_chunks": 3]], why: "model 'local'", stream: true),
        FailureMode(name: "malformed tool calls", replies: [["tool_calls": [["name": "read_text_file", "arguments": "{\"path\": "]]]], why: "malformed tool calls"),
        FailureMode(name: "unknown tool", replies: [["tool_calls": [["name": "rm_rf", "arguments": [:]]]]], why: "rm_rf is not one of the offered tools"),
        FailureMode(name: "loop", replies: [["tool_calls": [["name": "list_allowed_directories", "arguments": [:]]]]], why: "same arguments 3 times (a loop)"),
        FailureMode(
            name: "steps", replies: [
                ["tool_calls": [["name": "search_files", "arguments": ["path": ".", "pattern": "a*"]]]],
                ["tool_calls": [["name": "search_files", "arguments": ["path": ".", "pattern": "b*"]]]],
            ], why: "used all 2 steps", steps: 2),
        FailureMode(
            name: "tokens", replies: [["tool_calls": [["name": "list_allowed_directories", "arguments": [:]]], "usage": ["prompt_tokens": 9000, "completion_tokens": 10]]],
            why: "used 9010 tokens of its 5000-token budget", tokens: 5000),
        FailureMode(name: "seconds", replies: [["content": "late", "delay": 4]], why: "1-second budget ran out", seconds: 1),
        FailureMode(name: "empty reply", replies: [["content": ""]], why: "replied with nothing"),
    ]

    @Test(arguments: failures) func eachFailureEndsOnThePlaybook(_ failure: FailureMode) async throws {
        let server = try await ScriptedLLMServer()
        try await server.setReplies(failure.replies.isEmpty ? [["content": "unused"]] : failure.replies)
        let agent = AgentHarness.doctor {
            $0.budgets.steps = failure.steps
            $0.budgets.tokens = failure.tokens
            $0.budgets.seconds = failure.seconds
        }
        let harness = try AgentHarness(
            agents: [agent], models: [("local", failure.unreachable ? "http://127.0.0.1:1" : server.url)], modelTimeout: failure.modelTimeout)
        let tokens = TokenCollector()
        let answer = try await harness.engine.ask(
            "What is wrong?", client: "test", events: AgentEvents(onToken: failure.stream ? tokens.append : nil))
        guard case .fallback(let why) = answer.mode else {
            Issue.record("\(failure.name): expected fallback, got \(answer.mode)")
            return
        }
        #expect(why.contains(failure.why), "\(failure.name): \(why)")
        #expect(answer.text.contains("Facts gathered without a model"))
        #expect(answer.text.contains("## list_allowed_directories"))
        #expect(answer.text.contains(harness.home))
        #expect(answer.rendered.contains("mode: fallback (\(why))"))
        let (run, steps) = try #require(try await harness.store.run(id: answer.runID))
        #expect(run.mode == "fallback" && run.why == why)
        #expect(steps.contains { $0.kind == .note && $0.name == "fallback" })
    }

    @Test func withoutAModelThePlaybookAnswers() async throws {
        let harness = try AgentHarness(agents: [AgentHarness.doctor()])
        let answer = try await harness.engine.ask("What is wrong?", client: "test")
        #expect(answer.mode == .fallback(why: "no model is configured (set llm.url or FATHOM_LLM_URL, or llm.models in fathom.yaml)"))
        #expect(answer.toolCalls == 2)
        #expect(answer.text.contains("runbooks/nodes.md"))
    }

    @Test func theNextModelInTheChainAnswers() async throws {
        let server = try await ScriptedLLMServer(script: ["replies": [["content": "fine"]]])
        let harness = try AgentHarness(agents: [AgentHarness.doctor()], models: [("down", "http://127.0.0.1:1"), ("up", server.url)])
        let answer = try await harness.engine.ask("Anything wrong?", client: "test")
        #expect(answer.mode == .llm(model: "up"))
    }

    @Test func secretsNeverReachTheModelOrTheStore() async throws {
        let server = try await ScriptedLLMServer()
        let harness = try AgentHarness(agents: [AgentHarness.doctor()], models: [("local", server.url)])
        try await server.setReplies([
            ["tool_calls": [["name": "read_text_file", "arguments": ["path": .string(harness.notes)]]]],
            ["tool_calls": [["name": "read_text_file", "arguments": ["path": "/etc/passwd"]]]],
            ["content": "Done."],
        ])
        let answer = try await harness.engine.ask(
            "Is the key AKIAIOSFODNN7EXAMPLE (password: hunter2-db-secret, in postgres://app:hunter2-db-secret@db/shop) leaked?",
            client: "test")
        #expect(answer.mode == .llm(model: "local"))
        let sent = try await server.requests().map { $0.encodedString() }.joined()
        let stored = try harness.storedBytes()
        let shown = answer.rendered
        for secret in AgentHarness.secrets {
            #expect(!sent.contains(secret), "\(secret) reached the model")
            #expect(!stored.contains(secret), "\(secret) reached the store")
            #expect(!shown.contains(secret))
        }
        #expect(sent.contains("[REDACTED]") && !sent.contains("[REDACTED]]"))
        #expect(sent.contains("OOMKilled"), "the rest of the file still reaches the model")
        // The injected instruction travels, but inside the data frame.
        #expect(sent.contains("<tool_output tool=\\\"read_text_file\\\" status=\\\"ok\\\">\\ncheckout pods"))
        // A file outside the roots is refused by the tool, and the refusal is what the model sees.
        #expect(sent.contains("status=\\\"error\\\""))
    }

    @Test func destructiveCallsNeedApproval() async throws {
        let server = try await ScriptedLLMServer()
        var policy = FathomConfig.PolicySettings()
        policy.readOnly = false
        policy.allow = ["write_file"]
        let harness = try AgentHarness(agents: [AgentHarness.doctor()], models: [("local", server.url)], policy: policy)
        let target = harness.home + "/out.txt"
        let write: JSONValue = ["tool_calls": [["name": "write_file", "arguments": ["path": .string(target), "content": "x"]]]]
        // Nobody to ask: refused.
        try await server.setReplies([write, ["content": "could not"]])
        _ = try await harness.engine.ask("Write it.", client: "test")
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(try await server.requests().last?.encodedString().contains("nobody could be asked") == true)
        // Asked and approved: written, and the question named the tool and its arguments.
        let asked = TokenCollector()
        try await server.setReplies([write, ["content": "written"]])
        _ = try await harness.engine.ask(
            "Write it.", client: "test",
            events: AgentEvents(approve: { message in
                asked.append(message)
                return .approved
            }))
        #expect(FileManager.default.fileExists(atPath: target))
        #expect(asked.text.contains("write_file") && asked.text.contains(target))
        // approval: deny refuses even when someone could be asked.
        try FileManager.default.removeItem(atPath: target)
        let denying = try AgentHarness(agents: [AgentHarness.doctor { $0.approval = .deny }], models: [("local", server.url)], policy: policy)
        try await server.setReplies([
            ["tool_calls": [["name": "write_file", "arguments": ["path": .string(denying.home + "/out.txt"), "content": "x"]]]], ["content": "no"],
        ])
        _ = try await denying.engine.ask("Write it.", client: "test", events: AgentEvents(approve: { _ in .approved }))
        #expect(!FileManager.default.fileExists(atPath: denying.home + "/out.txt"))
        #expect(try await server.requests().last?.encodedString().contains("approval: deny") == true)
    }

    @Test func aSmallContextWindowCutsToolOutput() async throws {
        let server = try await ScriptedLLMServer()
        let harness = try AgentHarness(agents: [AgentHarness.doctor()], models: [("local", server.url)], contextWindow: 1600)
        let big = harness.home + "/big.log"
        try String(repeating: "level=info msg=\"request served\" path=/api/v1/orders status=200\n", count: 400)
            .write(toFile: big, atomically: true, encoding: .utf8)
        try await server.setReplies([
            ["tool_calls": [["name": "read_text_file", "arguments": ["path": .string(big)]]]],
            ["tool_calls": [["name": "read_text_file", "arguments": ["path": .string(harness.notes)]]]],
            ["content": "ok"],
        ])
        _ = try await harness.engine.ask("Summarize the log.", client: "test")
        let sent = try await server.requests()
        let second = sent[1]["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
        #expect(second.utf8.count < 1400, "tool output cut to fit: \(second.utf8.count) bytes")
        #expect(second.contains("[truncated:"))
        let third = sent[2]["messages"]?.arrayValue ?? []
        let estimated = third.reduce(0) { $0 + (($1["content"]?.stringValue?.utf8.count ?? 0) + 3) / 4 }
        #expect(estimated <= 1600 - 1024 + 64, "the conversation fits the window: ~\(estimated) tokens")
    }

    @Test func badQuestionsAreRefusedBeforeARunStarts() async throws {
        let harness = try AgentHarness(agents: [AgentHarness.doctor()])
        for question in ["", "   \n", "a\u{0}b", String(repeating: "x", count: 70_000)] {
            await #expect(throws: AgentError.self) { try await harness.engine.ask(question, client: "test") }
        }
        await #expect(throws: AgentError.unknownAgent("nope", known: ["doctor"])) {
            try await harness.engine.ask("hi", agent: "nope", client: "test")
        }
        #expect(try await harness.store.recentRuns(limit: 10, agent: nil).isEmpty)
    }
}

/// Text handed to a callback, from any task.
final class TokenCollector: Sendable {
    private let parts = Mutex<[String]>([])
    func append(_ text: String) { parts.withLock { $0.append(text) } }
    var text: String { parts.withLock { $0.joined() } }
}

import FathomCore
import FathomLLM
import FathomTools
import Foundation

/// The execution kind: a ReAct loop (the model calls tools until it can answer) within the agent's budgets; without a
/// model, or when the model fails, loops or writes malformed calls, the agent's declared playbook of tool calls.
struct ExecutionAgent {
    let agent: AgentSpec
    let run: AgentRun

    /// A call made twice already with the same arguments is a loop on the third.
    static let maxRepeats = 2
    /// Model turns with a malformed call each, before the model is given up on.
    static let maxMalformedTurns = 2

    /// Tool calls already made in this run, in order, so the playbook neither repeats nor loses them.
    struct Evidence {
        struct Call {
            var tool: String
            var arguments: JSONValue
            var text: String
            var ok: Bool
            var signature: String { Evidence.signature(tool, arguments) }
        }

        private(set) var calls: [Call] = []
        private var bySignature: [String: Int] = [:]

        static func signature(_ tool: String, _ arguments: JSONValue) -> String { tool + " " + arguments.encodedString() }

        func find(_ signature: String) -> Call? { bySignature[signature].map { calls[$0] } }

        mutating func add(_ call: Call) {
            bySignature[call.signature] = calls.count
            calls.append(call)
        }
    }

    func answer(_ question: String) async -> (AgentAnswer.Mode, String) {
        var gathered = Evidence()
        do {
            return try await react(question, gathered: &gathered)
        } catch {
            let why = "\(error)"
            await run.events.onStep("switching to the playbook: \(why)")
            await run.journal.step(.note, name: "fallback", input: "", output: why, outcome: "fallback", started: .now)
            return (.fallback(why: why), await playbook(question, gathered: gathered))
        }
    }

    /// The model-driven loop. Throws whatever ends it early: ``LLMError``, ``BudgetExceeded`` or ``AgentLoopError``.
    private func react(_ question: String, gathered: inout Evidence) async throws -> (AgentAnswer.Mode, String) {
        guard run.hasModel else { throw LLMError.noModel }
        let tools = run.tools(for: agent)
        let specs = tools.map { ToolSpec(name: $0.name, description: $0.description, parameters: $0.inputSchema) }
        let allowed = Set(tools.map(\.name))
        let window = await run.contextWindow(for: agent)
        var messages: [ChatMessage] = [
            .system(run.engine.systemPrompt(for: agent, extra: Self.instructions)),
            .user(run.engine.redactor.redact(question)),
        ]
        var repeats: [String: Int] = [:]
        var malformedTurns = 0
        for _ in 0..<agent.budgets.steps {
            let used = await run.journal.usage.total
            guard used < agent.budgets.tokens else { throw BudgetExceeded.tokens(used: used, budget: agent.budgets.tokens) }
            let request = ChatRequest(
                messages: ContextFit.fit(messages, window: window), tools: specs,
                maxTokens: min(ContextFit.replyTokens, agent.budgets.tokens - used))
            let started = ContinuousClock.now
            let reply = try await run.complete(request, for: agent)
            await run.journal.step(
                .llm, name: reply.model, input: messages.last?.content ?? "", output: Self.describe(reply), outcome: reply.finishReason ?? "ok",
                usage: reply.usage, started: started)
            if reply.toolCalls.isEmpty {
                let text = reply.content.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !text.isEmpty else { throw AgentLoopError.emptyReply }
                return (.llm(model: reply.model), text)
            }
            messages.append(ChatMessage(role: .assistant, content: reply.content, toolCalls: reply.toolCalls))
            var malformed: String?
            for call in reply.toolCalls {
                let output: (text: String, ok: Bool)
                if let problem = Self.problem(with: call, allowed: allowed) {
                    malformed = problem
                    output = ("Error: \(problem). Call one of the offered tools with a JSON object of arguments.", false)
                } else {
                    let arguments = (try? call.arguments()) ?? .object([:])
                    let signature = Evidence.signature(call.name, arguments)
                    repeats[signature, default: 0] += 1
                    if repeats[signature, default: 0] > Self.maxRepeats {
                        throw AgentLoopError.loop(tool: call.name, times: Self.maxRepeats + 1)
                    }
                    if let earlier = gathered.find(signature) {
                        output = (earlier.text, earlier.ok)
                    } else {
                        output = await run.callTool(call.name, arguments: arguments, for: agent)
                        gathered.add(.init(tool: call.name, arguments: arguments, text: output.text, ok: output.ok))
                    }
                }
                let framed = ToolOutputFrame.wrap(tool: call.name, text: output.text, ok: output.ok, maxBytes: ContextFit.toolOutputBytes(window: window))
                messages.append(ChatMessage(role: .tool, content: framed, toolCallID: call.id))
            }
            if let malformed {
                malformedTurns += 1
                if malformedTurns >= Self.maxMalformedTurns { throw AgentLoopError.malformedCalls(malformed) }
            }
        }
        throw BudgetExceeded.steps(agent.budgets.steps)
    }

    static let instructions = """
        Gather facts with the tools before you answer, and cite the tool output behind each claim.
        When you have the answer, reply in plain text without calling a tool. Be brief and specific.
        """

    /// What is wrong with a call the model wrote, if anything.
    static func problem(with call: ToolCall, allowed: Set<String>) -> String? {
        guard !call.name.isEmpty else { return "a tool call without a tool name (\(TextLimit.clip(call.rawArguments, maxBytes: 120)))" }
        guard allowed.contains(call.name) else { return "\(call.name) is not one of the offered tools" }
        do {
            _ = try call.arguments()
        } catch {
            return "the arguments of \(call.name) are not a JSON object (\(TextLimit.clip(call.rawArguments, maxBytes: 120)))"
        }
        return nil
    }

    static func describe(_ reply: ChatReply) -> String {
        let calls = reply.toolCalls.map { "call \($0.name) \($0.rawArguments)" }
        return ([reply.content] + calls).filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// The deterministic path: each playbook call in order (reusing what the model already fetched), as facts.
    private func playbook(_ question: String, gathered: Evidence) async -> String {
        var sections: [String] = []
        var used: Set<String> = []
        var unavailable: [String] = []
        for step in agent.playbook {
            guard run.engine.registry.descriptor(named: step.tool) != nil else {
                unavailable.append(step.tool)
                continue
            }
            let arguments = Self.fill(step.arguments, question: question)
            let signature = Evidence.signature(step.tool, arguments)
            used.insert(signature)
            let output: (text: String, ok: Bool)
            if let earlier = gathered.find(signature) {
                output = (earlier.text, earlier.ok)
            } else {
                output = await run.callTool(step.tool, arguments: arguments, for: agent)
            }
            sections.append(Self.section(step.tool, arguments: arguments, output: output))
        }
        // What the model had fetched before it stopped is evidence too.
        for call in gathered.calls where !used.contains(call.signature) {
            sections.append(Self.section(call.tool, arguments: call.arguments, output: (call.text, call.ok)))
        }
        let skipped = unavailable.isEmpty
            ? "" : "\n\nNot configured here, so not run: \(unavailable.joined(separator: ", ")) (see `fathom doctor`)."
        guard !sections.isEmpty else {
            return agent.playbook.isEmpty
                ? "\(agent.description)\nThis agent has no playbook, so without a model it cannot gather facts. "
                    + "Tools it may use: \(agent.tools.joined(separator: ", "))."
                : "\(agent.description)\nNo playbook step could run." + skipped
        }
        return "\(agent.description)\nFacts gathered without a model:\n\n" + sections.joined(separator: "\n\n") + skipped
    }

    static func section(_ tool: String, arguments: JSONValue, output: (text: String, ok: Bool)) -> String {
        let args = arguments.objectValue?.isEmpty == false ? " " + arguments.encodedString() : ""
        return "## \(tool)\(args)\(output.ok ? "" : " (failed)")\n"
            + TextLimit.truncate(output.text, toBytes: 6 * 1024, hint: "run the tool yourself for the rest")
    }

    /// `{{question}}` in string arguments becomes the question.
    static func fill(_ value: JSONValue, question: String) -> JSONValue {
        switch value {
        case .string(let text) where text.contains("{{question}}"):
            return .string(text.replacingOccurrences(of: "{{question}}", with: question))
        case .array(let items):
            return .array(items.map { fill($0, question: question) })
        case .object(let members):
            return .object(members.mapValues { fill($0, question: question) })
        default:
            return value
        }
    }
}

/// The model misbehaved in a way retrying will not fix.
enum AgentLoopError: Error, CustomStringConvertible {
    case loop(tool: String, times: Int)
    case malformedCalls(String)
    case emptyReply

    var description: String {
        switch self {
        case .loop(let tool, let times): "the model called \(tool) with the same arguments \(times) times (a loop)"
        case .malformedCalls(let problem): "the model kept writing malformed tool calls (\(problem))"
        case .emptyReply: "the model replied with nothing"
        }
    }
}

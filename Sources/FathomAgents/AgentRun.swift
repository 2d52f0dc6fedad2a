import FathomCore
import FathomLLM
import FathomStore
import FathomTools
import Foundation

/// One run in progress: who asked, the budget's deadline, the journal, and the calls every kind makes.
struct AgentRun: Sendable {
    let engine: AgentEngine
    let journal: RunJournal
    let events: AgentEvents
    let client: String
    let deadline: ContinuousClock.Instant

    var secondsLeft: Double {
        let left = deadline - .now
        return Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18
    }

    /// The tools `agent` may call: its globs (or `toolset:NAME`), then policy for this client.
    func tools(for agent: AgentSpec) -> [ToolDescriptor] {
        engine.registry.descriptors(client: client, agent: agent.name).filter { engine.allows(agent, $0) }
    }

    /// One tool call through the registry (policy, validation, approval, audit), journaled.
    /// - Returns: the result's text, redacted, and whether it succeeded.
    func callTool(_ name: String, arguments: JSONValue, for agent: AgentSpec) async -> (text: String, ok: Bool) {
        let started = ContinuousClock.now
        let shown = TextLimit.clip(arguments.encodedString(), maxBytes: 200)
        guard let descriptor = engine.registry.descriptor(named: name) else {
            let text = "\(name) is not available here: its toolset is not configured (see `fathom doctor`)."
            await journal.step(.tool, name: name, input: arguments.encodedString(), output: text, outcome: "unavailable", started: started)
            await events.onStep("tool \(name) → skipped: not configured")
            return (text, false)
        }
        guard engine.allows(agent, descriptor) else {
            let text = "\(name) is not one of agent \(agent.name)'s tools (\(agent.tools.joined(separator: ", ")))."
            await journal.step(.tool, name: name, input: arguments.encodedString(), output: text, outcome: "denied", started: started)
            await events.onStep("tool \(name) \(shown) → refused: not one of the agent's tools")
            return (text, false)
        }
        let context = ToolContext(client: client, agent: agent.name, approve: approver(for: agent))
        let text: String
        let ok: Bool
        switch await engine.registry.call(name, arguments: arguments, context: context) {
        case .result(let result):
            (text, ok) = (engine.redactor.redact(result.text), !result.isError)
        case .unknownTool:
            (text, ok) = ("There is no tool named \(name).", false)
        case .cancelled:
            (text, ok) = ("cancelled", false)
        }
        await journal.step(.tool, name: name, input: arguments.encodedString(), output: text, outcome: ok ? "ok" : "error", started: started)
        await events.onStep("tool \(name) \(shown) → \(ok ? "ok" : "error: " + TextLimit.clip(text, maxBytes: 160))")
        return (text, ok)
    }

    /// Destructive calls are put to the person behind the client when the agent says `approval: ask` and someone can
    /// be asked; otherwise they are refused, so a headless run never changes anything unasked.
    private func approver(for agent: AgentSpec) -> @Sendable (String) async -> ToolContext.Approval {
        if agent.approval == .ask, let approve = events.approve { return approve }
        let why = agent.approval == .deny
            ? "agent \(agent.name) has approval: deny, so it runs no destructive tool"
            : "nobody could be asked to approve it (the client does not support elicitation)"
        return { _ in .declined(why) }
    }

    /// Whether any model can answer: Fathom's own, or the client's borrowed through MCP sampling.
    var hasModel: Bool { !engine.router.isEmpty || events.borrowedModel != nil }

    /// The window of the model the agent prefers (configured or detected).
    func contextWindow(for agent: AgentSpec) async -> Int? {
        if let first = engine.router.order(preferring: agent.models).first { return await first.model.contextWindow() }
        return await events.borrowedModel?.contextWindow()
    }

    /// One model turn within the run's deadline, streaming to the caller unless `stream` is off (routing, where the
    /// reply is a name, not an answer). Fathom's own models come first; the client's is borrowed only without them.
    func complete(_ request: ChatRequest, for agent: AgentSpec, stream: Bool = true) async throws -> ChatReply {
        let seconds = secondsLeft
        guard seconds > 0 else { throw BudgetExceeded.seconds(agent.budgets.seconds) }
        let onToken = stream ? events.onToken : nil
        let (router, borrowed) = (engine.router, events.borrowedModel)
        return try await Deadline.run(seconds: seconds, timeout: BudgetExceeded.seconds(agent.budgets.seconds)) {
            if router.isEmpty, let borrowed {
                return try await borrowed.complete(request, onToken: onToken)
            }
            return try await router.complete(request, preferring: agent.models, onToken: onToken)
        }
    }
}

/// A budget ran out: the agent finishes on its deterministic path.
enum BudgetExceeded: Error, CustomStringConvertible {
    case seconds(Int)
    case tokens(used: Int, budget: Int)
    case steps(Int)

    var description: String {
        switch self {
        case .seconds(let seconds): "the run's \(seconds)-second budget ran out"
        case .tokens(let used, let budget): "the run used \(used) tokens of its \(budget)-token budget"
        case .steps(let steps): "the model used all \(steps) steps without a final answer"
        }
    }
}

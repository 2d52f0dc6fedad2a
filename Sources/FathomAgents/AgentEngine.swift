import FathomCore
import FathomLLM
import FathomStore
import FathomTools
import Foundation

/// Runs agents: picks the agent, journals the run, and dispatches on its kind. Each kind answers with a model when
/// one is reachable and on its deterministic path when not, and the answer says which.
public final class AgentEngine: Sendable {
    /// Longest question accepted; longer is refused rather than cut.
    public static let maxQuestionBytes = 64 * 1024
    /// How deep orchestration may route (an orchestrator routing to another orchestrator).
    static let maxRouteDepth = 3

    public let agents: [AgentSpec]
    let registry: ToolRegistry
    public let router: ModelRouter
    let store: (any Store)?
    let redactor: Redactor
    let knowledge: KnowledgeSearch
    /// Each agent's `tools:` rules, compiled once: they are checked on every call an agent makes.
    private let toolRules: [String: [(toolset: Bool, pattern: GlobPattern)]]

    /// - Parameters:
    ///   - registry: the tools agents call; the same policy and audit as MCP clients.
    ///   - home: the folder knowledge sources are found under.
    ///   - deniedFiles: globs of files a knowledge agent never reads (the filesystem toolset's deny list).
    public init(
        agents: [AgentSpec], registry: ToolRegistry, router: ModelRouter, store: (any Store)?, home: String,
        deniedFiles: [String] = [], redactor: Redactor = Redactor()
    ) {
        self.agents = agents
        self.registry = registry
        self.router = router
        self.store = store
        self.redactor = redactor
        self.knowledge = KnowledgeSearch(home: home, denied: deniedFiles)
        var rules: [String: [(toolset: Bool, pattern: GlobPattern)]] = [:]
        for agent in agents {
            rules[agent.name] = agent.tools.map { rule in
                rule.hasPrefix("toolset:") ? (true, GlobPattern(String(rule.dropFirst(8)))) : (false, GlobPattern(rule))
            }
        }
        self.toolRules = rules
    }

    /// Whether `agent`'s `tools:` name `tool` (by glob, or `toolset:NAME`).
    func allows(_ agent: AgentSpec, _ tool: ToolDescriptor) -> Bool {
        (toolRules[agent.name] ?? []).contains { $0.toolset ? $0.pattern.matches(name: tool.toolset) : $0.pattern.matches(name: tool.name) }
    }

    public func agent(named name: String) -> AgentSpec? { agents.first { $0.name == name } }

    /// The agent a question without `--agent` goes to: the first orchestration agent, else the first agent.
    public var defaultAgent: AgentSpec? { agents.first { $0.kind == .orchestration } ?? agents.first }

    /// Runs one question to an answer. Model failures never throw: they end on the deterministic path.
    /// - Throws: ``AgentError`` for an unknown agent or an unusable question, before any run starts.
    public func ask(_ question: String, agent name: String? = nil, client: String, events: AgentEvents = AgentEvents()) async throws
        -> AgentAnswer
    {
        let trimmed = question.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw AgentError.badQuestion("is empty") }
        guard trimmed.utf8.count <= Self.maxQuestionBytes else {
            throw AgentError.badQuestion("is \(trimmed.utf8.count) bytes; the limit is \(Self.maxQuestionBytes)")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0 == "\0" }) else { throw AgentError.badQuestion("contains a NUL byte") }
        let spec: AgentSpec
        if let name {
            guard let found = agent(named: name) else { throw AgentError.unknownAgent(name, known: agents.map(\.name)) }
            spec = found
        } else {
            guard let first = defaultAgent else { throw AgentError.noAgents(directory: "agents/") }
            spec = first
        }
        let journal = await RunJournal(
            record: RunRecord(id: Self.newRunID(), agent: spec.name, kind: spec.kind.rawValue, client: client, question: trimmed, startedAt: Date()),
            store: store, redactor: redactor)
        let run = AgentRun(
            engine: self, journal: journal, events: events, client: client, deadline: .now + .seconds(spec.budgets.seconds))
        let (answered, mode, text) = await answer(trimmed, with: spec, run: run, depth: 0)
        return await journal.finish(agent: answered, mode: mode, text: text)
    }

    /// Dispatches on the agent's kind; orchestration recurses into the agent it routes to.
    func answer(_ question: String, with agent: AgentSpec, run: AgentRun, depth: Int) async -> (String, AgentAnswer.Mode, String) {
        switch agent.kind {
        case .orchestration:
            guard depth < Self.maxRouteDepth else {
                return (agent.name, .fallback(why: "routing went deeper than \(Self.maxRouteDepth) agents"), "No agent could take this question.")
            }
            let route = await Orchestrator(engine: self).route(question, from: agent, run: run)
            switch route.target {
            case .agent(let name):
                guard let target = self.agent(named: name) else {
                    return (agent.name, .fallback(why: "the route names no agent '\(name)'"), "No agent could take this question.")
                }
                return await answer(question, with: target, run: run, depth: depth + 1)
            case .workflow(let workflow):
                return await runWorkflow(workflow, question: question, from: agent, run: run, depth: depth + 1)
            }
        case .execution:
            let (mode, text) = await ExecutionAgent(agent: agent, run: run).answer(question)
            return (agent.name, mode, text)
        case .knowledge:
            let (mode, text) = await KnowledgeAgent(agent: agent, run: run).answer(question)
            return (agent.name, mode, text)
        case .integration:
            let (mode, text) = await IntegrationAgent(agent: agent, run: run).answer(question)
            return (agent.name, mode, text)
        }
    }

    /// Runs a workflow's steps in order, each step's question filled with the request and the previous answer. The
    /// answer is every step's, and it is `fallback` when any step's was, saying which.
    private func runWorkflow(
        _ workflow: AgentSpec.Workflow, question: String, from agent: AgentSpec, run: AgentRun, depth: Int
    ) async -> (String, AgentAnswer.Mode, String) {
        var previous = ""
        var sections: [String] = []
        var fallbacks: [String] = []
        var model: String?
        for (index, step) in workflow.steps.enumerated() {
            let label = "\(index + 1). \(step.agent)"
            guard let target = self.agent(named: step.agent) else {
                fallbacks.append("step \(label): no such agent")
                continue
            }
            let asked = (step.question ?? "{{question}}").replacingOccurrences(of: "{{question}}", with: question)
                .replacingOccurrences(of: "{{previous}}", with: TextLimit.clip(previous, maxBytes: 4096))
            await run.events.onStep("workflow \(workflow.name), step \(label)")
            let (_, mode, text) = await answer(asked, with: target, run: run, depth: depth)
            switch mode {
            case .llm(let name): model = name
            case .fallback(let why): fallbacks.append("step \(label): \(why)")
            }
            sections.append("## \(label)\n\(text)")
            previous = text
        }
        let mode: AgentAnswer.Mode = fallbacks.isEmpty ? .llm(model: model ?? "none") : .fallback(why: fallbacks.joined(separator: "; "))
        return ("\(agent.name)/\(workflow.name)", mode, sections.joined(separator: "\n\n"))
    }

    /// Sortable by time, unique enough to type: `r` + base-36 milliseconds + 6 random characters.
    static func newRunID() -> String {
        let milliseconds = UInt64(Date().timeIntervalSince1970 * 1000)
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        let random = String((0..<6).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
        return "r" + String(milliseconds, radix: 36) + random
    }

    /// The system prompt every model-backed kind starts from: persona, identity, and how to treat tool output.
    func systemPrompt(for agent: AgentSpec, extra: String) -> String {
        var text = agent.persona.isEmpty ? "" : agent.persona + "\n\n"
        text += "You are the Fathom agent \"\(agent.name)\": \(agent.description)\n"
        text += ToolOutputFrame.rule + "\n" + extra
        return redactor.redact(text)
    }
}

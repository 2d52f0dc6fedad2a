import FathomCore
import FathomLLM
import FathomTools
import Foundation

/// The orchestration kind: picks the agent or declared workflow for a request. A model chooses from the descriptions
/// when one answers; otherwise keyword rules do, then the default route.
struct Orchestrator {
    let engine: AgentEngine

    struct Route {
        enum Target: Equatable {
            case agent(String)
            case workflow(AgentSpec.Workflow)
        }

        var target: Target
        /// How it was chosen, for the journal and the caller.
        var how: String

        var name: String {
            switch target {
            case .agent(let name): name
            case .workflow(let workflow): "workflow " + workflow.name
            }
        }
    }

    func route(_ question: String, from agent: AgentSpec, run: AgentRun) async -> Route {
        let started = ContinuousClock.now
        let candidates = Self.candidates(of: agent, in: engine)
        var route = Self.byRules(question, agent: agent)
        if run.hasModel, candidates.count + agent.workflows.count > 1 {
            do {
                let reply = try await run.complete(request(question, agent: agent, candidates: candidates), for: agent, stream: false)
                await run.journal.step(
                    .llm, name: reply.model, input: "route: \(question)", output: reply.content, outcome: "ok", usage: reply.usage, started: started)
                if let chosen = Self.chosen(in: reply.content, agents: candidates.map(\.name), workflows: agent.workflows) {
                    route = Route(target: chosen, how: "model \(reply.model) chose it")
                } else {
                    route.how += "; the model's choice '\(TextLimit.clip(reply.content, maxBytes: 60))' named no agent"
                }
            } catch {
                route.how += "; the model could not route (\(error))"
            }
        }
        await run.journal.step(.route, name: route.name, input: question, output: route.how, outcome: "ok", started: started)
        await run.events.onStep("routed to \(route.name): \(route.how)")
        return route
    }

    /// The agents this one may route to: its routes and default.
    static func candidates(of agent: AgentSpec, in engine: AgentEngine) -> [AgentSpec] {
        let named = agent.routes.map(\.agent) + [agent.defaultRoute].compactMap { $0 }
        return engine.agents.filter { named.contains($0.name) && $0.name != agent.name }
    }

    private func request(_ question: String, agent: AgentSpec, candidates: [AgentSpec]) -> ChatRequest {
        var list = candidates.map { "- \($0.name): \($0.description)" }
        list += agent.workflows.map { workflow in
            "- workflow:\(workflow.name): \(workflow.description) (runs \(workflow.steps.map(\.agent).joined(separator: ", then ")))"
        }
        let prompt = engine.systemPrompt(
            for: agent,
            extra: "Choose the one agent or workflow below that should handle the user's request. Reply with only its name.\n"
                + list.joined(separator: "\n"))
        return ChatRequest(messages: [.system(prompt), .user(engine.redactor.redact(question))], maxTokens: 32, temperature: 0)
    }

    /// The workflow or route whose keywords the question mentions most (workflows first, then routes, in order, win
    /// ties); else the default route.
    static func byRules(_ question: String, agent: AgentSpec) -> Route {
        let words = Set(KnowledgeSearch.terms(question, keepShort: true))
        let text = question.lowercased()
        let options: [(target: Route.Target, keywords: [String])] =
            agent.workflows.map { (.workflow($0), $0.keywords) } + agent.routes.map { (.agent($0.agent), $0.keywords) }
        var best: (target: Route.Target, hits: [String])?
        for option in options {
            let hits = option.keywords.filter { mentions(text, words: words, keyword: $0) }
            if !hits.isEmpty, hits.count > (best?.hits.count ?? 0) { best = (option.target, hits) }
        }
        if let best { return Route(target: best.target, how: "keywords " + best.hits.map { "'\($0)'" }.joined(separator: ", ")) }
        if let fallback = agent.defaultRoute ?? agent.routes.first?.agent {
            return Route(target: .agent(fallback), how: "no keyword matched; the default route")
        }
        return Route(target: .workflow(agent.workflows[0]), how: "no keyword matched; the first workflow")
    }

    /// A phrase matches as written; a word matches a whole word ("pod" is not in "ipod"), or, from four letters, the
    /// start of one ("crashloop" is in "crashlooping").
    static func mentions(_ text: String, words: Set<String>, keyword: String) -> Bool {
        if keyword.contains(" ") { return text.contains(keyword) }
        let stem = KnowledgeSearch.stem(keyword)
        return words.contains(stem) || (stem.count >= 4 && words.contains { $0.hasPrefix(stem) })
    }

    /// The workflow (`workflow:NAME`) or agent the reply names, longest names first so `cluster-doctor-2` beats
    /// `cluster-doctor`.
    static func chosen(in reply: String, agents: [String], workflows: [AgentSpec.Workflow]) -> Route.Target? {
        let text = reply.lowercased()
        if let workflow = workflows.sorted(by: { $0.name.count > $1.name.count }).first(where: { text.contains("workflow:" + $0.name.lowercased()) }) {
            return .workflow(workflow)
        }
        if let name = agents.sorted(by: { $0.count > $1.count }).first(where: { text.contains($0.lowercased()) }) {
            return .agent(name)
        }
        return workflows.sorted { $0.name.count > $1.name.count }.first { text.contains($0.name.lowercased()) }.map { .workflow($0) }
    }
}

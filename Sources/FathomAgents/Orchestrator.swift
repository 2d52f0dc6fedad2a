import FathomCore
import FathomLLM
import FathomTools
import Foundation

/// The orchestration kind: picks the agent for a request. A model chooses from the agents' descriptions when one
/// answers; otherwise keyword rules do, then the default route.
struct Orchestrator {
    let engine: AgentEngine

    struct Route {
        var agent: String
        /// How it was chosen, for the journal and the caller.
        var how: String
    }

    func route(_ question: String, from agent: AgentSpec, run: AgentRun) async -> Route {
        let started = ContinuousClock.now
        let candidates = Self.candidates(of: agent, in: engine)
        var route = Self.byRules(question, agent: agent)
        if run.hasModel, candidates.count > 1 {
            do {
                let reply = try await run.complete(request(question, agent: agent, candidates: candidates), for: agent, stream: false)
                await run.journal.step(
                    .llm, name: reply.model, input: "route: \(question)", output: reply.content, outcome: "ok", usage: reply.usage, started: started)
                if let chosen = Self.named(in: reply.content, candidates: candidates.map(\.name)) {
                    route = Route(agent: chosen, how: "model \(reply.model) chose it")
                } else {
                    route.how += "; the model's choice '\(TextLimit.clip(reply.content, maxBytes: 60))' named no agent"
                }
            } catch {
                route.how += "; the model could not route (\(error))"
            }
        }
        await run.journal.step(.route, name: route.agent, input: question, output: route.how, outcome: "ok", started: started)
        await run.events.onStep("routed to \(route.agent): \(route.how)")
        return route
    }

    /// The agents this one may route to: its routes and default, or every other agent when it declares none.
    static func candidates(of agent: AgentSpec, in engine: AgentEngine) -> [AgentSpec] {
        let named = agent.routes.map(\.agent) + [agent.defaultRoute].compactMap { $0 }
        return engine.agents.filter { named.contains($0.name) && $0.name != agent.name }
    }

    private func request(_ question: String, agent: AgentSpec, candidates: [AgentSpec]) -> ChatRequest {
        let list = candidates.map { "- \($0.name): \($0.description)" }.joined(separator: "\n")
        let prompt = engine.systemPrompt(
            for: agent, extra: "Choose the one agent below that should handle the user's request. Reply with only its name.\n" + list)
        return ChatRequest(messages: [.system(prompt), .user(engine.redactor.redact(question))], maxTokens: 32, temperature: 0)
    }

    /// The route whose keywords the question mentions most (earlier routes win ties); else the default route.
    static func byRules(_ question: String, agent: AgentSpec) -> Route {
        let words = Set(KnowledgeSearch.terms(question, keepShort: true))
        let text = question.lowercased()
        var best: (route: AgentSpec.Route, hits: [String])?
        for route in agent.routes {
            let hits = route.keywords.filter { Self.mentions(text, words: words, keyword: $0) }
            if !hits.isEmpty, hits.count > (best?.hits.count ?? 0) { best = (route, hits) }
        }
        if let best { return Route(agent: best.route.agent, how: "keywords " + best.hits.map { "'\($0)'" }.joined(separator: ", ")) }
        let fallback = agent.defaultRoute ?? agent.routes.first?.agent ?? agent.name
        return Route(agent: fallback, how: "no keyword matched; the default route")
    }

    /// A phrase matches as written; a word matches a whole word ("pod" is not in "ipod"), or, from four letters, the
    /// start of one ("crashloop" is in "crashlooping").
    static func mentions(_ text: String, words: Set<String>, keyword: String) -> Bool {
        if keyword.contains(" ") { return text.contains(keyword) }
        let stem = KnowledgeSearch.stem(keyword)
        return words.contains(stem) || (stem.count >= 4 && words.contains { $0.hasPrefix(stem) })
    }

    /// The first candidate name the reply mentions, longest names first so `cluster-doctor-2` beats `cluster-doctor`.
    static func named(in reply: String, candidates: [String]) -> String? {
        let text = reply.lowercased()
        return candidates.sorted { $0.count > $1.count }.first { text.contains($0.lowercased()) }
    }
}

import FathomCore
import FathomLLM
import FathomTools
import Foundation

/// The knowledge kind: searches the agent's sources, then a model answers from the best passages and cites them;
/// without a model, the ranked passages with their snippets are the answer.
struct KnowledgeAgent {
    let agent: AgentSpec
    let run: AgentRun

    func answer(_ question: String) async -> (AgentAnswer.Mode, String) {
        let started = ContinuousClock.now
        let hits = run.engine.knowledge.search(question, sources: agent.sources)
        let listing = Self.render(hits, redactor: run.engine.redactor)
        await run.journal.step(
            .note, name: "search", input: question, output: listing, outcome: hits.isEmpty ? "no match" : "\(hits.count) hits", started: started)
        await run.events.onStep("searched \(agent.sources.joined(separator: ", ")): \(hits.count) passage\(hits.count == 1 ? "" : "s")")
        guard !hits.isEmpty else {
            return (.fallback(why: "nothing in \(agent.sources.joined(separator: ", ")) matches the question"),
                    "No passage in the knowledge sources matches \"\(TextLimit.clip(question, maxBytes: 200))\".")
        }
        do {
            guard run.hasModel else { throw LLMError.noModel }
            let prompt = run.engine.systemPrompt(
                for: agent,
                extra: "Answer the question from the passages below only, and cite each fact as [path:line]. "
                    + "If the passages do not answer it, say so.\n\n" + ToolOutputFrame.wrap(tool: "knowledge_search", text: listing, ok: true, maxBytes: 12 * 1024))
            let reply = try await run.complete(
                ChatRequest(messages: [.system(prompt), .user(run.engine.redactor.redact(question))], maxTokens: ContextFit.replyTokens), for: agent)
            await run.journal.step(.llm, name: reply.model, input: question, output: reply.content, outcome: "ok", usage: reply.usage, started: started)
            let text = reply.content.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw AgentLoopError.emptyReply }
            return (.llm(model: reply.model), text + "\n\nSources:\n" + hits.map { "- \($0.path):\($0.line) (\($0.heading))" }.joined(separator: "\n"))
        } catch {
            return (.fallback(why: "\(error)"), "Best matches for \"\(TextLimit.clip(question, maxBytes: 200))\":\n\n" + listing)
        }
    }

    static func render(_ hits: [KnowledgeSearch.Hit], redactor: Redactor) -> String {
        hits.enumerated().map { index, hit in
            "\(index + 1). \(hit.path):\(hit.line) — \(hit.heading)\n   \(redactor.redact(hit.snippet))"
        }.joined(separator: "\n")
    }
}

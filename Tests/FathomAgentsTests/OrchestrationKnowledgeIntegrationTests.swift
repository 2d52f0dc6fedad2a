import FathomAgents
import FathomCore
import FathomTestSupport
import Foundation
import Testing

@Suite(.serialized) struct OrchestrationKnowledgeIntegrationTests {
    static func agents() -> [AgentSpec] {
        var router = AgentSpec(name: "front", kind: .orchestration, description: "Routes questions.")
        router.routes = [
            .init(agent: "librarian", keywords: ["runbook", "how do i"]),
            .init(agent: "doctor", keywords: ["crashloop", "pod", "oom"]),
        ]
        router.defaultRoute = "doctor"
        router.workflows = [
            .init(
                name: "brief", description: "Investigates, then tells the team.", keywords: ["brief the team"],
                steps: [.init(agent: "doctor"), .init(agent: "notifier", question: "Update on {{question}}: {{previous}}")]),
        ]
        var librarian = AgentSpec(name: "librarian", kind: .knowledge, description: "Answers from runbooks.")
        librarian.sources = ["runbooks/**/*.md", "runbooks/*"]
        var notifier = AgentSpec(name: "notifier", kind: .integration, description: "Tells the team.")
        notifier.template = "[Fathom] {{question}}"
        return [router, librarian, AgentHarness.doctor(), notifier]
    }

    @Test func keywordsRouteWithoutAModel() async throws {
        let harness = try AgentHarness(agents: Self.agents())
        let steps = TokenCollector()
        let events = AgentEvents(onStep: { steps.append($0 + "\n") })
        let runbook = try await harness.engine.ask("Which runbook covers disk full on a node?", client: "test", events: events)
        #expect(runbook.agent == "librarian")
        #expect(steps.text.contains("routed to librarian: keywords 'runbook'"))
        let pods = try await harness.engine.ask("checkout keeps crashlooping", client: "test")
        #expect(pods.agent == "doctor", "'crashloop' matches the start of 'crashlooping'")
        let other = try await harness.engine.ask("is everything fine?", client: "test")
        #expect(other.agent == "doctor")
        let (run, _) = try #require(try await harness.store.run(id: runbook.runID))
        #expect(run.agent == "front" && run.answeredBy == "librarian")
    }

    @Test func theModelRoutesAndNonsenseFallsBackToTheRules() async throws {
        let server = try await ScriptedLLMServer()
        let harness = try AgentHarness(agents: Self.agents(), models: [("local", server.url)])
        // The model picks among the routes by their descriptions, whatever the keywords say.
        try await server.setReplies([["content": "librarian"], ["content": "See the runbook [runbooks/nodes.md:1]."]])
        let routed = try await harness.engine.ask("checkout pods are OOMKilled; is there a procedure for disk full?", client: "test")
        #expect(routed.agent == "librarian")
        #expect(routed.mode == .llm(model: "local"))
        try await server.setReplies([["content": "Checkout is degraded; we are on it."]])
        let told = try await harness.engine.ask("tell people checkout is degraded", agent: "notifier", client: "test")
        #expect(told.mode == .llm(model: "local"))
        #expect(told.text.hasPrefix("Checkout is degraded; we are on it."))
        #expect(told.text.contains("no webhook is configured"))
        try await server.setReplies([["content": "I think a human should look"], ["content": "Answer."]])
        let ruled = try await harness.engine.ask("which runbook for certificates?", client: "test")
        #expect(ruled.agent == "librarian")
    }

    @Test func aDeclaredWorkflowRunsItsStepsInOrder() async throws {
        let harness = try AgentHarness(agents: Self.agents())
        let answer = try await harness.engine.ask("brief the team about checkout", client: "test")
        #expect(answer.agent == "front/brief")
        #expect(answer.text.hasPrefix("## 1. doctor\nReads the notes"))
        #expect(answer.text.contains("## 2. notifier\n[Fathom] Update on brief the team about checkout: Reads the notes"))
        guard case .fallback(let why) = answer.mode else {
            Issue.record("no model: the steps fall back")
            return
        }
        #expect(why.contains("step 1. doctor: no model is configured") && why.contains("step 2. notifier"))
        let (_, steps) = try #require(try await harness.store.run(id: answer.runID))
        #expect(steps.first { $0.kind == .route }?.name == "workflow brief")
    }

    @Test func theModelMayChooseAWorkflow() async throws {
        let server = try await ScriptedLLMServer()
        let harness = try AgentHarness(agents: Self.agents(), models: [("local", server.url)])
        try await server.setReplies([["content": "workflow:brief"], ["content": "Checkout is fine."], ["content": "All good, team."]])
        let answer = try await harness.engine.ask("what should we tell people about checkout?", client: "test")
        #expect(answer.agent == "front/brief")
        #expect(answer.mode == .llm(model: "local"))
        #expect(answer.text.contains("## 1. doctor\nCheckout is fine."))
        #expect(answer.text.contains("## 2. notifier\nAll good, team."))
        let notifierRequest = try await server.requests()[2].encodedString()
        #expect(notifierRequest.contains("Checkout is fine."), "the second step's question carries the first step's answer")
    }

    @Test func knowledgeRanksPassagesAndCitesThem() async throws {
        let harness = try AgentHarness(agents: Self.agents())
        let answer = try await harness.engine.ask("disk full node", agent: "librarian", client: "test")
        guard case .fallback = answer.mode else {
            Issue.record("no model: expected fallback")
            return
        }
        let lines = answer.text.split(separator: "\n")
        #expect(lines.first { $0.hasPrefix("1. ") } == "1. runbooks/nodes.md:1 — Disk full on a node")
        #expect(answer.text.contains("crictl rmi --prune"))
        #expect(!answer.text.contains(".env"), "the filesystem deny list applies to knowledge sources")
        #expect(!answer.text.contains("hunter2"))
        let none = try await harness.engine.ask("kafka partition rebalancing", agent: "librarian", client: "test")
        #expect(none.text.hasPrefix("No passage in the knowledge sources matches"))
    }

    @Test func knowledgeWithAModelAnswersFromThePassages() async throws {
        let server = try await ScriptedLLMServer(script: ["replies": [["content": "Prune images with crictl [runbooks/nodes.md:1]."]]])
        let harness = try AgentHarness(agents: Self.agents(), models: [("local", server.url)])
        let answer = try await harness.engine.ask("disk full node", agent: "librarian", client: "test")
        #expect(answer.mode == .llm(model: "local"))
        #expect(answer.text.contains("Sources:\n- runbooks/nodes.md:1 (Disk full on a node)"))
        let system = try await server.requests().first?["messages"]?.arrayValue?.first?["content"]?.stringValue ?? ""
        #expect(system.contains("<tool_output tool=\"knowledge_search\""))
        #expect(system.contains("crictl rmi --prune"))
    }

    @Test func integrationFillsItsTemplateWithoutAModel() async throws {
        let harness = try AgentHarness(agents: Self.agents())
        let answer = try await harness.engine.ask("deploy of checkout v2 starts at 14:00", agent: "notifier", client: "test")
        #expect(answer.text.hasPrefix("[Fathom] deploy of checkout v2 starts at 14:00"))
        #expect(answer.mode == .fallback(why: "no model is configured (set llm.url or FATHOM_LLM_URL, or llm.models in fathom.yaml)"))
    }
}

import FathomCore
import FathomTestSupport
import Testing

@testable import FathomLLM

@Suite(.serialized) struct ModelRouterTests {
    func model(_ name: String, _ url: String) throws -> OpenAICompatibleModel {
        var settings = FathomConfig.Model(name: name, url: url, model: "scripted-model")
        settings.timeoutSeconds = 5
        return try OpenAICompatibleModel(settings)
    }

    func router(_ models: [any ChatModel], retries: Int = 2, failures: Int = 3) -> ModelRouter {
        ModelRouter(models: models, retries: retries, breakerFailures: failures, breakerCooldown: .seconds(60), backoff: .milliseconds(10))
    }

    @Test func theChainMovesOnAndThePreferenceComesFirst() async throws {
        let server = try await ScriptedLLMServer(script: ["replies": [["content": "from the second"]]])
        let router = router([try model("first", "http://127.0.0.1:1"), try model("second", server.url)])
        let reply = try await router.complete(ChatRequest(messages: [.user("x")]))
        #expect(reply.model == "second")
        #expect(router.order(preferring: ["second"]).map(\.model.name) == ["second", "first"])
        #expect(router.order(preferring: ["unknown"]).map(\.model.name) == ["first", "second"])
    }

    @Test func overloadIsRetriedWithBackoffThenTheServerAnswers() async throws {
        let server = try await ScriptedLLMServer()
        try await server.setReplies([["status": 429, "headers": ["Retry-After": "0"]], ["status": 503], ["content": "ok"]])
        let reply = try await router([try model("local", server.url)]).complete(ChatRequest(messages: [.user("x")]))
        #expect(reply.content == "ok")
        #expect(try await server.requests().count == 3)
    }

    @Test func everyFailureIsReportedAndTheBreakerOpens() async throws {
        let server = try await ScriptedLLMServer()
        try await server.setReplies([["status": 500, "message": "model crashed"]])
        let router = router([try model("local", server.url), try model("gone", "http://127.0.0.1:1")], retries: 1, failures: 2)
        for _ in 0..<2 {
            await #expect { try await router.complete(ChatRequest(messages: [.user("x")])) } throws: { error in
                guard case LLMError.allFailed(let reasons) = error else { return false }
                return reasons.count == 2 && reasons[0].contains("model crashed") && reasons[0].contains("after 2 tries") && reasons[1].contains("refused")
            }
        }
        #expect(router.health.map(\.name) == ["local", "gone"])
        guard case .open = router.health[0].state else {
            Issue.record("the breaker should be open after two failures: \(router.health)")
            return
        }
        let before = try await server.requests().count
        await #expect { try await router.complete(ChatRequest(messages: [.user("x")])) } throws: { error in
            "\(error)".contains("is skipped for")
        }
        #expect(try await server.requests().count == before, "an open breaker sends nothing")
    }

    @Test func aStreamThatBrokeAfterTokensIsNotRetried() async throws {
        let server = try await ScriptedLLMServer()
        try await server.setReplies([["content": "partial answer here", "truncate_after_chunks": 4], ["content": "second try"]])
        let router = router([try model("local", server.url)])
        await #expect(throws: LLMError.self) { try await router.complete(ChatRequest(messages: [.user("x")]), onToken: { _ in }) }
        #expect(try await server.requests().count == 1)
    }

    @Test func noModelIsItsOwnError() async {
        await #expect(throws: LLMError.noModel) { try await router([]).complete(ChatRequest(messages: [.user("x")])) }
    }
}

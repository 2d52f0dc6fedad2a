import FathomCore
import FathomTestSupport
import Testing

@testable import FathomLLM

/// The provider against the scripted OpenAI-compatible server (a real HTTP server replaying canned replies).
@Suite(.serialized) struct OpenAICompatibleModelTests {
    func provider(_ server: ScriptedLLMServer, timeout: Double = 20, configure: (inout FathomConfig.Model) -> Void = { _ in }) throws
        -> OpenAICompatibleModel
    {
        var settings = FathomConfig.Model(name: "local", url: server.url + "/v1", model: "scripted-model")
        settings.timeoutSeconds = timeout
        configure(&settings)
        return try OpenAICompatibleModel(settings)
    }

    @Test func wholeAndStreamedRepliesAgree() async throws {
        let server = try await ScriptedLLMServer()
        let provider = try provider(server)
        let request = ChatRequest(messages: [.user("hi")])
        try await server.setReplies([["content": "All 12 pods are running."]])
        let whole = try await provider.complete(request, onToken: nil)
        let tokens = TokenLog()
        let streamed = try await provider.complete(request, onToken: tokens.append)
        #expect(whole.content == "All 12 pods are running.")
        #expect(streamed.content == whole.content)
        #expect(tokens.all.count > 3)
        #expect(tokens.all.joined() == whole.content)
        #expect(whole.usage.promptTokens > 0 && !whole.usage.estimated)
        #expect(streamed.usage.promptTokens > 0)
        let sent = try await server.requests()
        #expect(sent.map { $0["stream"] ?? false } == [false, true])
    }

    @Test func toolCallsStreamedAndWhole() async throws {
        let server = try await ScriptedLLMServer()
        let provider = try provider(server)
        let calls: JSONValue = ["tool_calls": [["name": "pods_list", "arguments": ["namespace": "shop", "limit": 5]], ["name": "nodes_list", "arguments": [:]]]]
        try await server.setReplies([calls])
        let request = ChatRequest(messages: [.user("x")], tools: [ToolSpec(name: "pods_list", description: "", parameters: ["type": "object"])])
        for stream in [false, true] {
            let ignore: @Sendable (String) -> Void = { _ in }
            let reply = try await provider.complete(request, onToken: stream ? ignore : nil)
            #expect(reply.toolCalls.map(\.name) == ["pods_list", "nodes_list"])
            #expect(try reply.toolCalls[0].arguments() == ["namespace": "shop", "limit": 5])
            #expect(reply.finishReason == "tool_calls")
        }
    }

    @Test func serverErrorsCarryTheServersMessage() async throws {
        let server = try await ScriptedLLMServer(apiKey: "sk-test-key")
        let unauthorized = try provider(server)
        await #expect { try await unauthorized.complete(ChatRequest(messages: [.user("x")]), onToken: nil) } throws: { error in
            guard case LLMError.http(_, 401, _, _) = error else { return false }
            return true
        }
        let provider = try provider(server) { $0.apiKey = "sk-test-key" }
        try await server.setReplies([["status": 429, "message": "slow down", "headers": ["Retry-After": "7"]]])
        await #expect { try await provider.complete(ChatRequest(messages: [.user("x")]), onToken: nil) } throws: { error in
            guard case LLMError.http(_, 429, let message, let retryAfter) = error else { return false }
            return message == "slow down" && retryAfter == 7 && (error as? LLMError)?.isRetryable == true
        }
        try await server.setReplies([["raw": "{\"choices\": [{\"message\": "]])
        await #expect(throws: LLMError.self) { try await provider.complete(ChatRequest(messages: [.user("x")]), onToken: nil) }
    }

    @Test func aStreamCutShortOrStalledFails() async throws {
        let server = try await ScriptedLLMServer()
        let provider = try provider(server, timeout: 2)
        try await server.setReplies([["content": "a long answer that will not arrive", "truncate_after_chunks": 3]])
        await #expect { try await provider.complete(ChatRequest(messages: [.user("x")]), onToken: { _ in }) } throws: { error in
            guard let error = error as? LLMError else { return false }
            switch error {
            case .malformedReply, .unreachable: return true
            default: return false
            }
        }
        try await server.setReplies([["content": "stalls", "stall_after_chunks": 2]])
        await #expect(throws: LLMError.timedOut(model: "local", seconds: 2)) {
            try await provider.complete(ChatRequest(messages: [.user("x")]), onToken: { _ in })
        }
    }

    @Test func contextWindowIsDetectedOrConfigured() async throws {
        let llamacpp = try await ScriptedLLMServer(flavor: "llamacpp", context: 4096)
        #expect(try await provider(llamacpp).contextWindow() == 4096)
        let vllm = try await ScriptedLLMServer(flavor: "vllm", context: 32768)
        #expect(try await provider(vllm).contextWindow() == 32768)
        let plain = try await ScriptedLLMServer(flavor: "plain")
        #expect(try await provider(plain).contextWindow() == nil)
        #expect(try await provider(plain) { $0.contextWindow = 2048 }.contextWindow() == 2048)
        #expect(try await provider(llamacpp).check().contains("context 4096 tokens (detected)"))
    }

    @Test func promptModeOffersToolsInTextAndReadsCallsBack() async throws {
        let server = try await ScriptedLLMServer()
        let provider = try provider(server) { $0.toolMode = .prompt }
        try await server.setReplies([["content": "<tool_call>{\"name\": \"pods_list\", \"arguments\": {\"namespace\": \"shop\"}}</tool_call>"]])
        let reply = try await provider.complete(
            ChatRequest(messages: [.system("Persona."), .user("x")], tools: [ToolSpec(name: "pods_list", description: "Lists pods.", parameters: ["type": "object"])]),
            onToken: nil)
        #expect(reply.toolCalls.map(\.name) == ["pods_list"])
        let sent = try #require(try await server.requests().first)
        #expect(sent["tools"] == nil)
        #expect(sent["messages"]?.arrayValue?.first?["content"]?.stringValue?.contains("- pods_list: Lists pods.") == true)
    }

    @Test func anUnreachableServerIsSaidPlainly() async throws {
        var settings = FathomConfig.Model(name: "gone", url: "http://127.0.0.1:1", model: "m")
        settings.timeoutSeconds = 5
        let provider = try OpenAICompatibleModel(settings)
        await #expect { try await provider.complete(ChatRequest(messages: [.user("x")]), onToken: nil) } throws: { error in
            guard case LLMError.unreachable("gone", let reason) = error else { return false }
            return reason.contains("refused")
        }
    }
}

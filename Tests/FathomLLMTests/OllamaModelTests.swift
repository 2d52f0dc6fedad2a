import FathomCore
import FathomTestSupport
import Testing

@testable import FathomLLM

/// The Ollama provider against the scripted server's Ollama flavor (Ollama's native JSON, which the official `ollama`
/// Python client is shown to read in Tests/interop/test_scripted_llm.py).
@Suite(.serialized) struct OllamaModelTests {
    func provider(_ server: ScriptedLLMServer, configure: (inout FathomConfig.Model) -> Void = { _ in }) throws -> OllamaModel {
        var settings = FathomConfig.Model(name: "ollama", url: server.url, model: "scripted-model")
        settings.provider = .ollama
        settings.timeoutSeconds = 5
        configure(&settings)
        return try OllamaModel(settings)
    }

    @Test func wholeAndStreamedRepliesWithToolCalls() async throws {
        let server = try await ScriptedLLMServer(flavor: "ollama", context: 16384)
        let provider = try provider(server)
        try await server.setReplies([
            ["content": "Two pods are failing."],
            ["tool_calls": [["name": "pods_list", "arguments": ["namespace": "shop"]]]],
        ])
        let tokens = TokenLog()
        let streamed = try await provider.complete(ChatRequest(messages: [.user("x")], maxTokens: 100, temperature: 0), onToken: tokens.append)
        #expect(streamed.content == "Two pods are failing.")
        #expect(tokens.all.count > 2 && tokens.all.joined() == streamed.content)
        #expect(streamed.usage.completionTokens > 0 && !streamed.usage.estimated)
        let calls = try await provider.complete(
            ChatRequest(messages: [.user("x")], tools: [ToolSpec(name: "pods_list", description: "", parameters: ["type": "object"])]), onToken: nil)
        #expect(calls.toolCalls.map(\.name) == ["pods_list"])
        #expect(try calls.toolCalls[0].arguments() == ["namespace": "shop"])
        #expect(calls.finishReason == "tool_calls")
        let sent = try await server.requests()
        #expect(sent[0]["stream"] == true && sent[1]["stream"] == false)
        #expect(sent[0]["options"]?["num_ctx"] == 16384, "the Modelfile's num_ctx is asked for explicitly")
        #expect(sent[0]["options"]?["num_predict"] == 100)
        #expect(sent[1]["tools"]?.arrayValue?.first?["function"]?["name"] == "pods_list")
    }

    @Test func historyCarriesObjectArguments() async throws {
        let server = try await ScriptedLLMServer(flavor: "ollama", script: ["replies": [["content": "ok"]]])
        let provider = try provider(server)
        _ = try await provider.complete(
            ChatRequest(messages: [
                .user("x"), ChatMessage(role: .assistant, content: "", toolCalls: [ToolCall(id: "1", name: "t", rawArguments: "{\"a\": 1}")]),
                ChatMessage(role: .tool, content: "result", toolCallID: "1"),
            ]), onToken: nil)
        let messages = try await server.requests().first?["messages"]?.arrayValue ?? []
        #expect(messages[1]["tool_calls"]?.arrayValue?.first?["function"]?["arguments"] == ["a": 1])
        #expect(messages[2]["role"] == "tool")
    }

    @Test func contextWindowFromTheModelfileOrTheModelCapped() async throws {
        let withNumCtx = try await ScriptedLLMServer(flavor: "ollama", context: 16384)
        #expect(try await provider(withNumCtx).contextWindow() == 16384)
        let without = try await ScriptedLLMServer(flavor: "ollama", context: 0)
        #expect(try await provider(without).contextWindow() == OllamaModel.defaultMaxWindow)
        #expect(try await provider(without) { $0.contextWindow = 4096 }.contextWindow() == 4096)
        #expect(try await provider(withNumCtx).check().contains("context 16384 tokens"))
        await #expect(throws: LLMError.self) { try await provider(withNumCtx) { $0.model = "llama3" }.check() }
    }

    @Test func errorsAreOllamasOwnWords() async throws {
        let server = try await ScriptedLLMServer(flavor: "ollama")
        let provider = try provider(server)
        try await server.setReplies([["status": 404]])
        await #expect { try await provider.complete(ChatRequest(messages: [.user("x")]), onToken: nil) } throws: { error in
            guard case LLMError.http(_, 404, let message, _) = error else { return false }
            return message.contains("not found")
        }
        try await server.setReplies([["content": "partial answer", "error_after_chunks": 2, "message": "model runner crashed"]])
        await #expect { try await provider.complete(ChatRequest(messages: [.user("x")]), onToken: { _ in }) } throws: { error in
            "\(error)".contains("model runner crashed")
        }
        try await server.setReplies([["content": "a much longer answer that is cut short", "truncate_after_chunks": 2]])
        await #expect { try await provider.complete(ChatRequest(messages: [.user("x")]), onToken: { _ in }) } throws: { error in
            guard case LLMError.malformedReply = error else { return false }
            return true
        }
        try await server.setReplies([["raw": "{\"message\": "]])
        await #expect(throws: LLMError.self) { try await provider.complete(ChatRequest(messages: [.user("x")]), onToken: nil) }
    }
}

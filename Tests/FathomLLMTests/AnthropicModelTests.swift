import FathomCore
import FathomTestSupport
import Testing

@testable import FathomLLM

/// The Anthropic provider against the scripted server's Anthropic flavor (the Messages API's JSON and events, which the
/// official `anthropic` Python client is shown to read in Tests/interop/test_scripted_llm.py).
@Suite(.serialized) struct AnthropicModelTests {
    func provider(_ server: ScriptedLLMServer, key: String? = "sk-ant-test") throws -> AnthropicModel {
        var settings = FathomConfig.Model(name: "claude", url: server.url, model: "scripted-model")
        settings.provider = .anthropic
        settings.apiKey = key
        settings.timeoutSeconds = 5
        return try AnthropicModel(settings)
    }

    @Test func textAndToolUseWholeAndStreamed() async throws {
        let server = try await ScriptedLLMServer(flavor: "anthropic", apiKey: "sk-ant-test")
        let provider = try provider(server)
        let tools = [ToolSpec(name: "pods_list", description: "Lists pods.", parameters: ["type": "object"])]
        for stream in [false, true] {
            try await server.setReplies([
                ["content": "Two pods are failing."],
                ["content": "Checking.", "tool_calls": [["name": "pods_list", "arguments": ["namespace": "shop"]]]],
            ])
            let tokens = TokenLog()
            let ignore: @Sendable (String) -> Void = tokens.append
            let text = try await provider.complete(ChatRequest(messages: [.system("Persona."), .user("x")], maxTokens: 64), onToken: stream ? ignore : nil)
            #expect(text.content == "Two pods are failing.")
            #expect(text.usage.promptTokens > 0 && text.usage.completionTokens > 0)
            if stream { #expect(tokens.all.count > 2 && tokens.all.joined() == text.content) }
            let call = try await provider.complete(ChatRequest(messages: [.user("x")], tools: tools, toolChoice: .required), onToken: stream ? ignore : nil)
            #expect(call.content == "Checking.")
            #expect(call.toolCalls.map(\.name) == ["pods_list"])
            #expect(try call.toolCalls[0].arguments() == ["namespace": "shop"])
            #expect(call.finishReason == "tool_calls")
            let sent = try await server.requests()
            #expect(sent[0]["system"] == "Persona." && sent[0]["max_tokens"] == 64)
            #expect(sent[1]["tool_choice"] == ["type": "any"])
            #expect(sent[1]["tools"]?.arrayValue?.first?["input_schema"] == ["type": "object"])
        }
    }

    @Test func toolResultsGoTogetherInTheNextUserTurn() async throws {
        let server = try await ScriptedLLMServer(flavor: "anthropic", apiKey: "sk-ant-test", script: ["replies": [["content": "ok"]]])
        _ = try await provider(server).complete(
            ChatRequest(messages: [
                .user("x"),
                ChatMessage(role: .assistant, content: "", toolCalls: [
                    ToolCall(id: "t1", name: "a", rawArguments: "{}"), ToolCall(id: "t2", name: "b", rawArguments: "{\"n\": 1}"),
                ]),
                ChatMessage(role: .tool, content: "one", toolCallID: "t1"), ChatMessage(role: .tool, content: "two", toolCallID: "t2"),
            ]), onToken: nil)
        let messages = try await server.requests().first?["messages"]?.arrayValue ?? []
        #expect(messages.map { $0["role"] } == ["user", "assistant", "user"])
        #expect(messages[1]["content"]?.arrayValue?.last?["input"] == ["n": 1])
        #expect(messages[2]["content"]?.arrayValue?.map { $0["tool_use_id"] } == ["t1", "t2"])
    }

    @Test func errorsInAnthropicsWords() async throws {
        let server = try await ScriptedLLMServer(flavor: "anthropic", apiKey: "sk-ant-test")
        await #expect { try await provider(server, key: "wrong").complete(ChatRequest(messages: [.user("x")]), onToken: nil) } throws: { error in
            guard case LLMError.http(_, 401, let message, _) = error else { return false }
            return message.contains("x-api-key")
        }
        try await server.setReplies([["status": 529, "message": "Overloaded"]])
        await #expect { try await provider(server).complete(ChatRequest(messages: [.user("x")]), onToken: nil) } throws: { error in
            guard case LLMError.http(_, 529, "Overloaded", _) = error else { return false }
            return (error as? LLMError)?.isRetryable == true
        }
        try await server.setReplies([["content": "partial answer here", "error_after_chunks": 3, "message": "Overloaded"]])
        await #expect(throws: LLMError.self) { try await provider(server).complete(ChatRequest(messages: [.user("x")]), onToken: { _ in }) }
        try await server.setReplies([["content": "a long answer cut short", "truncate_after_chunks": 4]])
        await #expect { try await provider(server).complete(ChatRequest(messages: [.user("x")]), onToken: { _ in }) } throws: { error in
            guard case LLMError.malformedReply = error else { return false }
            return true
        }
        #expect(try await provider(server).check().hasPrefix("serves scripted-model; context 200000 tokens"))
    }
}

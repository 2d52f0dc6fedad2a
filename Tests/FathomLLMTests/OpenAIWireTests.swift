import FathomCore
import Synchronization
import Testing

@testable import FathomLLM

struct OpenAIWireTests {
    @Test func aWholeReplyWithToolCalls() throws {
        let body = #"""
            {"id":"x","object":"chat.completion","choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":"",
             "tool_calls":[{"id":"mIhCsy","type":"function","function":{"name":"pods_list","arguments":"{\n \"namespace\": \"shop\"\n}"}}]}}],
             "usage":{"prompt_tokens":250,"completion_tokens":35,"total_tokens":285}}
            """#
        let reply = try OpenAIWire.readReply(Array(body.utf8), model: "local")
        #expect(reply.toolCalls == [ToolCall(id: "mIhCsy", name: "pods_list", rawArguments: "{\n \"namespace\": \"shop\"\n}")])
        #expect(reply.usage == TokenUsage(promptTokens: 250, completionTokens: 35))
        #expect(reply.finishReason == "tool_calls")
    }

    @Test func malformedRepliesSayWhatIsWrong() {
        for (body, expected) in [
            ("{\"choices\": [", "invalid JSON"), ("{\"choices\": []}", "no choices[0].message"),
            ("{\"choices\":[{\"message\":{\"tool_calls\":[{\"function\":{}}]}}]}", "tool_calls[0] has no function.name"),
        ] {
            #expect {
                try OpenAIWire.readReply(Array(body.utf8), model: "m")
            } throws: { error in
                guard case LLMError.malformedReply(let model, let reason) = error else { return false }
                return model == "m" && reason.contains(expected)
            }
        }
    }

    @Test func streamDeltasAddUp() throws {
        var accumulator = OpenAIWire.StreamAccumulator(model: "local")
        let tokens = TokenLog()
        // llama.cpp's shape: the first tool-call delta already carries the opening brace.
        for chunk in [
            #"{"choices":[{"index":0,"delta":{"role":"assistant","content":null}}]}"#,
            #"{"choices":[{"index":0,"delta":{"content":"Check"}}]}"#,
            #"{"choices":[{"index":0,"delta":{"content":"ing."}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"C6t","type":"function","function":{"name":"pods_list","arguments":"{"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"namespace\": "}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"shop\"}"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
            #"{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":8}}"#,
        ] {
            try accumulator.add(chunk, onToken: tokens.append)
        }
        accumulator.done = true
        let reply = try accumulator.reply()
        #expect(reply.content == "Checking.")
        #expect(tokens.all == ["Check", "ing."])
        #expect(reply.toolCalls.count == 1)
        #expect(try reply.toolCalls[0].arguments() == ["namespace": "shop"])
        #expect(reply.usage == TokenUsage(promptTokens: 12, completionTokens: 8))
    }

    @Test func aStreamThatStopsEarlyIsMalformed() throws {
        var accumulator = OpenAIWire.StreamAccumulator(model: "m")
        try accumulator.add(#"{"choices":[{"index":0,"delta":{"content":"par"}}]}"#, onToken: { _ in })
        #expect(throws: LLMError.self) { try accumulator.reply() }
        #expect(throws: LLMError.self) { try accumulator.add("{not json", onToken: { _ in }) }
    }

    @Test func theRequestCarriesToolsHistoryAndStreaming() throws {
        let request = ChatRequest(
            messages: [
                .user("Why?"),
                ChatMessage(role: .assistant, content: "", toolCalls: [ToolCall(id: "c1", name: "t", rawArguments: "{}")]),
                ChatMessage(role: .tool, content: "out", toolCallID: "c1"),
            ],
            tools: [ToolSpec(name: "t", description: "d", parameters: ["type": "object"])], toolChoice: .required, maxTokens: 64,
            stop: ["</tool_call>"])
        let body = try JSONParser.parse(OpenAIWire.requestBody(request, model: "qwen", nativeTools: true, stream: true))
        #expect(body["model"] == "qwen")
        #expect(body["stream"] == true)
        #expect(body["stream_options"]?["include_usage"] == true)
        #expect(body["tool_choice"] == "required")
        #expect(body["tools"]?.arrayValue?.first?["function"]?["name"] == "t")
        #expect(body["messages"]?.arrayValue?[1]["content"] == .null)
        #expect(body["messages"]?.arrayValue?[1]["tool_calls"]?.arrayValue?.first?["function"]?["arguments"] == "{}")
        #expect(body["messages"]?.arrayValue?[2]["tool_call_id"] == "c1")
        #expect(body["stop"] == ["</tool_call>"])
    }
}

/// Tokens as a stream delivered them.
final class TokenLog: Sendable {
    private let tokens = Mutex<[String]>([])

    func append(_ token: String) { tokens.withLock { $0.append(token) } }
    var all: [String] { tokens.withLock { $0 } }
}

import FathomCore
import FathomTestSupport
import Testing

@testable import FathomLLM

/// The OpenAI-compatible provider against the real llama.cpp server (xllamacpp, SmolLM2-135M): the wire format,
/// streaming, usage, context detection, and tool calls parsed from what llama.cpp really sends. The model's answers
/// are nonsense, so only their shape is checked.
@Suite(.serialized) struct LlamaCppTests {
    static let tools = [
        ToolSpec(
            name: "pods_list", description: "List the pods of a namespace.",
            parameters: ["type": "object", "properties": ["namespace": ["type": "string"]], "required": ["namespace"]]),
        ToolSpec(name: "nodes_list", description: "List the nodes.", parameters: ["type": "object", "properties": [:]]),
    ]

    @Test func wireStreamingUsageAndToolCalls() async throws {
        let server = try ScriptedLLMServer.llamaCpp(context: 4096)
        defer { server.stop() }
        var settings = FathomConfig.Model(name: "llama", url: server.url, model: "SmolLM2-135M-Instruct")
        settings.timeoutSeconds = 120
        let model = try OpenAICompatibleModel(settings)
        #expect(await model.contextWindow() == 4096)
        #expect(try await model.check().hasPrefix("serves SmolLM2-135M-Instruct; context 4096 tokens (detected)"))

        let tokens = TokenLog()
        let text = try await model.complete(
            ChatRequest(messages: [.user("Say hello.")], maxTokens: 16, temperature: 0), onToken: tokens.append)
        #expect(!text.content.isEmpty && tokens.all.joined() == text.content)
        #expect(text.usage.promptTokens > 0 && text.usage.completionTokens > 0 && !text.usage.estimated)

        // llama.cpp's recipe for a forced call (REAL-PARTS.md): tools, tool_choice required, the reply begun with
        // "<tool_call>\n", and "</tool_call>" as a stop sequence.
        let forced = ChatRequest(
            messages: [.system("You are an SRE assistant."), .user("Which pods are crashing in namespace shop?"),
                       ChatMessage(role: .assistant, content: "<tool_call>\n")],
            tools: Self.tools, toolChoice: .required, maxTokens: 160, temperature: 0, stop: ["</tool_call>"])
        for stream in [false, true] {
            let ignore: @Sendable (String) -> Void = { _ in }
            let reply = try await model.complete(forced, onToken: stream ? ignore : nil)
            // A 135M model may ramble inside the arguments until the token limit; llama.cpp still sends the call.
            #expect(["tool_calls", "length"].contains(reply.finishReason ?? ""), "stream: \(stream)")
            #expect(reply.toolCalls.count == 1 && Self.tools.map(\.name).contains(reply.toolCalls[0].name), "stream: \(stream): \(reply)")
            #expect(!reply.toolCalls[0].id.isEmpty)
        }
    }
}

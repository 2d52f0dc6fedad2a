import FathomCore
import Synchronization
import Testing

@testable import FathomLLM

/// The request sent as `sampling/createMessage` and the result read back. (The official Python SDK as the client is in
/// Tests/interop/test_agents.py.)
struct SamplingModelTests {
    final class Client: Sendable {
        let sent = Mutex<[JSONValue]>([])
        let result: JSONValue
        init(_ result: JSONValue) { self.result = result }
        func sample(_ params: JSONValue) async throws -> JSONValue {
            sent.withLock { $0.append(params) }
            return result
        }
    }

    @Test func toolsGoInThePromptAndCallsComeBackFromText() async throws {
        let client = Client([
            "role": "assistant", "model": "claude-x", "stopReason": "endTurn",
            "content": ["type": "text", "text": "<tool_call>{\"name\": \"pods_list\", \"arguments\": {}}</tool_call>"],
        ])
        let model = SamplingModel(sample: client.sample)
        let reply = try await model.complete(
            ChatRequest(
                messages: [.system("Persona."), .user("Why?"), ChatMessage(role: .tool, content: "earlier output", toolCallID: "1")],
                tools: [ToolSpec(name: "pods_list", description: "Lists pods.", parameters: ["type": "object"])], maxTokens: 300),
            onToken: nil)
        #expect(reply.toolCalls.map(\.name) == ["pods_list"])
        #expect(reply.model == "client (claude-x)")
        let params = try #require(client.sent.withLock { $0.first })
        #expect(params["systemPrompt"]?.stringValue?.hasPrefix("Persona.") == true)
        #expect(params["systemPrompt"]?.stringValue?.contains("- pods_list: Lists pods.") == true)
        #expect(params["maxTokens"] == 300)
        #expect(params["messages"]?.arrayValue?.map { $0["role"] } == ["user", "user"])
        #expect(params["tools"] == nil)
    }

    @Test func aResultWithoutTextIsMalformed() async {
        let model = SamplingModel(sample: Client(["role": "assistant", "content": ["type": "image", "data": "AAAA"]]).sample)
        await #expect(throws: LLMError.self) { try await model.complete(ChatRequest(messages: [.user("x")]), onToken: nil) }
    }

    @Test func aClientThatRefusesIsSaidPlainly() async {
        let model = SamplingModel(sample: { _ in throw CancellationErrorLike() })
        await #expect { try await model.complete(ChatRequest(messages: [.user("x")]), onToken: nil) } throws: { error in
            "\(error)".contains("the client did not sample")
        }
    }

    struct CancellationErrorLike: Error, CustomStringConvertible {
        var description: String { "User rejected sampling request" }
    }
}

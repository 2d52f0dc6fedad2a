import FathomCore
import Testing

@testable import FathomLLM

struct ToolCallShimTests {
    @Test func taggedCallsAreRead() throws {
        let found = try #require(ToolCallShim.extract(from: """
            Let me look.
            <tool_call>{"name": "pods_list", "arguments": {"namespace": "shop"}}</tool_call>
            <tool_call>{"name": "events_list", "parameters": {"type": "Warning"}}</tool_call>
            """))
        #expect(found.calls.map(\.name) == ["pods_list", "events_list"])
        #expect(try found.calls[0].arguments() == ["namespace": "shop"])
        #expect(try found.calls[1].arguments() == ["type": "Warning"])
        #expect(found.prose == "Let me look.")
    }

    @Test func aStopSequenceMayEatTheClosingTag() throws {
        let found = try #require(ToolCallShim.extract(from: "<tool_call>\n{\"name\": \"cluster_health\", \"arguments\": {}}\n"))
        #expect(found.calls.map(\.name) == ["cluster_health"])
        #expect(try found.calls[0].arguments() == .object([:]))
    }

    @Test func argumentsGivenAsAJSONStringAreUnwrapped() throws {
        let found = try #require(ToolCallShim.extract(from: #"<tool_call>{"name": "a", "arguments": "{\"x\": 1}"}</tool_call>"#))
        #expect(try found.calls[0].arguments() == ["x": 1])
    }

    @Test func aFencedJSONCallIsRead() throws {
        let found = try #require(ToolCallShim.extract(from: "I will check.\n```json\n{\"name\": \"nodes_list\", \"arguments\": {}}\n```\n"))
        #expect(found.calls.map(\.name) == ["nodes_list"])
        #expect(found.prose == "I will check.")
    }

    @Test func fencedJSONThatNamesNoToolIsProse() {
        #expect(ToolCallShim.extract(from: "Here is the config:\n```json\n{\"replicas\": 3}\n```") == nil)
        #expect(ToolCallShim.extract(from: "All pods are running.") == nil)
    }

    @Test func aMalformedCallKeepsItsTextSoTheCallerCanSayWhatWasWrong() throws {
        let found = try #require(ToolCallShim.extract(from: "<tool_call>{\"name\": \"pods_list\", \"arguments\": {oops</tool_call>"))
        #expect(found.calls[0].name == "")
        #expect(found.calls[0].rawArguments.contains("oops"))
    }

    @Test func argumentsThatAreNotAnObjectAreRefused() {
        #expect(throws: (any Error).self) { try ToolCall(id: "1", name: "a", rawArguments: "[1, 2]").arguments() }
        #expect(throws: (any Error).self) { try ToolCall(id: "1", name: "a", rawArguments: "{\"a\": ").arguments() }
    }

    @Test func promptModeRewritesToolsAndHistoryIntoText() throws {
        let request = ChatRequest(
            messages: [
                .system("Persona."), .user("Why?"),
                ChatMessage(role: .assistant, content: "", toolCalls: [ToolCall(id: "c1", name: "pods_list", rawArguments: "{\"namespace\":\"shop\"}")]),
                ChatMessage(role: .tool, content: "<tool_output>3 pods</tool_output>", toolCallID: "c1"),
            ],
            tools: [ToolSpec(name: "pods_list", description: "Lists pods.", parameters: ["type": "object"])])
        let rewritten = ToolCallShim.promptTools(request)
        #expect(rewritten.tools.isEmpty)
        #expect(rewritten.messages.count == 4)
        #expect(rewritten.messages[0].content.hasPrefix("Persona."))
        #expect(rewritten.messages[0].content.contains("- pods_list: Lists pods."))
        #expect(rewritten.messages[2].content.contains("<tool_call>"))
        #expect(rewritten.messages[2].content.contains("\"namespace\":\"shop\""))
        #expect(rewritten.messages[3].role == .user)
        #expect(rewritten.messages[3].content.contains("3 pods"))
        #expect(!rewritten.messages.contains { $0.role == .tool || !$0.toolCalls.isEmpty })
    }
}

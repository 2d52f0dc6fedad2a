import Foundation
import FathomCore

/// Tool calls for models without native support: the tools are described in the system prompt, and calls are
/// read out of the reply's text, as `<tool_call>{"name": …, "arguments": {…}}</tool_call>` or a fenced JSON block.
public enum ToolCallShim {
    /// The system-prompt section that offers `tools`.
    public static func instructions(for tools: [ToolSpec]) -> String {
        var text = """
            You can call tools. To call one, reply with only this, and nothing after it:
            <tool_call>{"name": "TOOL_NAME", "arguments": {ARGUMENTS AS JSON}}</tool_call>
            When you have the answer, reply in plain text without a tool call.
            Tools:
            """
        for tool in tools {
            text += "\n- \(tool.name): \(tool.description.prefix(300))\n  arguments schema: \(tool.parameters.encodedString())"
        }
        return text
    }

    /// The calls written in `text`, and the text without them.
    /// - Returns: nil when the text holds no call; a malformed call is returned with its raw text as arguments so the
    ///   caller can say what was wrong.
    public static func extract(from text: String) -> (calls: [ToolCall], prose: String)? {
        var calls: [ToolCall] = []
        var prose = ""
        var rest = Substring(text)
        while let open = rest.range(of: "<tool_call>") {
            prose += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            // A stop sequence of "</tool_call>" leaves the closing tag out.
            let close = after.range(of: "</tool_call>")
            let body = close.map { after[..<$0.lowerBound] } ?? after
            calls.append(call(from: body, index: calls.count))
            rest = close.map { after[$0.upperBound...] } ?? ""
        }
        prose += rest
        if calls.isEmpty, let fenced = fencedCall(in: text) {
            return ([fenced.call], fenced.prose)
        }
        return calls.isEmpty ? nil : (calls, prose.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A fenced block (```json … ```) whose JSON names a tool and its arguments.
    private static func fencedCall(in text: String) -> (call: ToolCall, prose: String)? {
        guard let open = text.range(of: "```") else { return nil }
        let afterFence = text[open.upperBound...]
        guard let newline = afterFence.firstIndex(of: "\n"),
            let close = afterFence[newline...].range(of: "```")
        else { return nil }
        let body = afterFence[newline..<close.lowerBound]
        guard let value = try? JSONParser.parse(String(body)), value["name"]?.stringValue != nil else { return nil }
        let prose = String(text[..<open.lowerBound] + afterFence[close.upperBound...])
        return (call(from: body, index: 0), prose.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func call(from body: Substring, index: Int) -> ToolCall {
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        let id = "shim_\(index)"
        guard let value = try? JSONParser.parse(text), let name = value["name"]?.stringValue else {
            return ToolCall(id: id, name: "", rawArguments: text)
        }
        let arguments = value["arguments"] ?? value["parameters"] ?? .object([:])
        // Some models put the arguments in a JSON string.
        let raw = arguments.stringValue ?? arguments.encodedString()
        return ToolCall(id: id, name: name, rawArguments: raw)
    }
}

extension ToolCallShim {
    /// The request rewritten for a model without tool support: tools described in the system prompt, earlier calls
    /// written as `<tool_call>` text and their results as user messages.
    public static func promptTools(_ request: ChatRequest) -> ChatRequest {
        guard !request.tools.isEmpty || request.messages.contains(where: { $0.role == .tool || !$0.toolCalls.isEmpty }) else {
            return request
        }
        var copy = request
        var messages: [ChatMessage] = []
        let instructions = request.tools.isEmpty ? nil : instructions(for: request.tools)
        if let instructions {
            if let first = request.messages.first, first.role == .system {
                messages.append(.system(first.content + "\n\n" + instructions))
            } else {
                messages.append(.system(instructions))
            }
        }
        for (index, message) in request.messages.enumerated() {
            if index == 0 && message.role == .system && instructions != nil { continue }
            switch message.role {
            case .assistant where !message.toolCalls.isEmpty:
                let calls = message.toolCalls.map { call in
                    "<tool_call>" + (["name": .string(call.name), "arguments": (try? call.arguments()) ?? .string(call.rawArguments)] as JSONValue)
                        .encodedString() + "</tool_call>"
                }
                messages.append(ChatMessage(role: .assistant, content: ([message.content] + calls).filter { !$0.isEmpty }.joined(separator: "\n")))
            case .tool:
                messages.append(.user("Tool result:\n" + message.content))
            default:
                messages.append(message)
            }
        }
        copy.messages = messages
        copy.tools = []
        return copy
    }

    /// The reply with calls written into its text (which small models do even when offered native tools) moved into
    /// ``ChatReply/toolCalls``.
    public static func applied(to reply: ChatReply) -> ChatReply {
        guard reply.toolCalls.isEmpty, let found = extract(from: reply.content) else { return reply }
        var copy = reply
        copy.toolCalls = found.calls
        copy.content = found.prose
        return copy
    }
}

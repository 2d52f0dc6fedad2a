import AsyncHTTPClient
import FathomCore
import NIOCore

/// The JSON of Anthropic's Messages API, and its stream of typed events.
enum AnthropicWire {
    static func requestBody(_ request: ChatRequest, model: String, stream: Bool) -> [UInt8] {
        var body: [String: JSONValue] = [
            "model": .string(model), "max_tokens": .int(request.maxTokens ?? 1024), "messages": .array(turns(request.messages)),
        ]
        let system = request.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        if !system.isEmpty { body["system"] = .string(system) }
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map { ["name": .string($0.name), "description": .string($0.description), "input_schema": $0.parameters] })
            body["tool_choice"] = ["type": .string(request.toolChoice == .required ? "any" : request.toolChoice.rawValue)]
        }
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if !request.stop.isEmpty { body["stop_sequences"] = .array(request.stop.map { .string($0) }) }
        if stream { body["stream"] = true }
        return JSONWriter.write(.object(body))
    }

    /// User and assistant turns; the results of one assistant turn's calls go together in the next user turn.
    private static func turns(_ messages: [ChatMessage]) -> [JSONValue] {
        var turns: [JSONValue] = []
        var results: [JSONValue] = []
        func flushResults() {
            if !results.isEmpty { turns.append(["role": "user", "content": .array(results)]) }
            results = []
        }
        for message in messages where message.role != .system {
            switch message.role {
            case .tool:
                results.append(["type": "tool_result", "tool_use_id": .string(message.toolCallID ?? ""), "content": .string(message.content)])
            case .assistant:
                flushResults()
                var blocks: [JSONValue] = message.content.isEmpty ? [] : [["type": "text", "text": .string(message.content)]]
                blocks += message.toolCalls.map { call in
                    ["type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": (try? call.arguments()) ?? .object([:])]
                }
                turns.append(["role": "assistant", "content": .array(blocks)])
            default:
                flushResults()
                turns.append(["role": "user", "content": .string(message.content)])
            }
        }
        flushResults()
        return turns
    }

    static func readReply(_ bytes: [UInt8], model: String) throws -> ChatReply {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw LLMError.malformedReply(model: model, reason: "\(error)")
        }
        guard let blocks = value["content"]?.arrayValue else {
            throw LLMError.malformedReply(model: model, reason: "no content blocks in the reply")
        }
        var accumulator = Accumulator(model: model)
        for block in blocks {
            switch block["type"]?.stringValue {
            case "text": accumulator.content += block["text"]?.stringValue ?? ""
            case "tool_use":
                guard let name = block["name"]?.stringValue else { throw LLMError.malformedReply(model: model, reason: "a tool_use block has no name") }
                accumulator.calls.append((block["id"]?.stringValue ?? "toolu_\(accumulator.calls.count)", name, (block["input"] ?? .object([:])).encodedString()))
            default: continue
            }
        }
        accumulator.stopReason = value["stop_reason"]?.stringValue
        accumulator.usage = TokenUsage(
            promptTokens: value["usage"]?["input_tokens"]?.intValue ?? 0, completionTokens: value["usage"]?["output_tokens"]?.intValue ?? 0)
        accumulator.done = true
        return try accumulator.reply()
    }

    static func readStream(_ body: HTTPClientResponse.Body, model: String, onToken: @escaping @Sendable (String) -> Void) async throws -> ChatReply {
        var accumulator = Accumulator(model: model)
        try await accumulator.read(body, model: model, onToken: onToken)
        return try accumulator.reply()
    }

    /// Blocks by index: text appended, each tool_use's input JSON appended from its `partial_json` pieces.
    struct Accumulator: StreamAccumulating {
        let model: String
        var content = ""
        var calls: [(id: String, name: String, input: String)] = []
        /// Stream block index → position in `calls`.
        var toolBlocks: [Int: Int] = [:]
        var stopReason: String?
        var usage = TokenUsage()
        var done = false

        mutating func add(_ data: String, onToken: (String) -> Void) throws {
            let event: JSONValue
            do {
                event = try JSONParser.parse(data)
            } catch {
                throw LLMError.malformedReply(model: model, reason: "a stream event is not JSON (\(error))")
            }
            switch event["type"]?.stringValue {
            case "message_start":
                usage.promptTokens = event["message"]?["usage"]?["input_tokens"]?.intValue ?? 0
            case "content_block_start":
                let block = event["content_block"]
                if block?["type"]?.stringValue == "tool_use", let index = event["index"]?.intValue {
                    toolBlocks[index] = calls.count
                    calls.append((block?["id"]?.stringValue ?? "toolu_\(calls.count)", block?["name"]?.stringValue ?? "", ""))
                }
            case "content_block_delta":
                let delta = event["delta"]
                if let text = delta?["text"]?.stringValue, !text.isEmpty {
                    content += text
                    onToken(text)
                } else if let piece = delta?["partial_json"]?.stringValue, let index = event["index"]?.intValue, let call = toolBlocks[index] {
                    calls[call].input += piece
                }
            case "message_delta":
                stopReason = event["delta"]?["stop_reason"]?.stringValue ?? stopReason
                usage.completionTokens = event["usage"]?["output_tokens"]?.intValue ?? usage.completionTokens
            case "message_stop":
                done = true
            case "error":
                let kind = event["error"]?["type"]?.stringValue ?? "error"
                throw LLMError.http(
                    model: model, status: kind == "overloaded_error" ? 529 : 500, message: event["error"]?["message"]?.stringValue ?? kind)
            default:
                return  // ping, content_block_stop
            }
        }

        func reply() throws -> ChatReply {
            guard done else { throw LLMError.malformedReply(model: model, reason: "the stream ended before message_stop") }
            return ChatReply(
                content: content, toolCalls: calls.map { ToolCall(id: $0.id, name: $0.name, rawArguments: $0.input) },
                finishReason: stopReason == "tool_use" ? "tool_calls" : stopReason, usage: usage, model: model)
        }
    }
}

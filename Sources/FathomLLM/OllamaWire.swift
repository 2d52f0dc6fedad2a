import AsyncHTTPClient
import FathomCore
import NIOCore

/// The JSON of Ollama's `/api/chat`: tool-call arguments are objects, not strings, and a stream is one JSON object per
/// line (NDJSON), the last with `done: true` and the token counts.
enum OllamaWire {
    static func requestBody(_ request: ChatRequest, model: String, numCtx: Int?, stream: Bool) -> [UInt8] {
        var body: [String: JSONValue] = [
            "model": .string(model),
            "messages": .array(request.messages.map(message)),
            "stream": .bool(stream),
        ]
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map { tool in
                ["type": "function", "function": ["name": .string(tool.name), "description": .string(tool.description), "parameters": tool.parameters]]
            })
        }
        var options: [String: JSONValue] = [:]
        if let numCtx { options["num_ctx"] = .int(numCtx) }
        if let tokens = request.maxTokens { options["num_predict"] = .int(tokens) }
        if let temperature = request.temperature { options["temperature"] = .double(temperature) }
        if !request.stop.isEmpty { options["stop"] = .array(request.stop.map { .string($0) }) }
        if !options.isEmpty { body["options"] = .object(options) }
        return JSONWriter.write(.object(body))
    }

    private static func message(_ message: ChatMessage) -> JSONValue {
        var object: [String: JSONValue] = ["role": .string(message.role.rawValue), "content": .string(message.content)]
        if !message.toolCalls.isEmpty {
            object["tool_calls"] = .array(message.toolCalls.map { call in
                ["function": ["name": .string(call.name), "arguments": (try? call.arguments()) ?? .object([:])]]
            })
        }
        return .object(object)
    }

    static func readReply(_ bytes: [UInt8], model: String) throws -> ChatReply {
        var accumulator = Accumulator(model: model)
        try accumulator.add(bytes[...], onToken: { _ in })
        guard accumulator.done else { throw LLMError.malformedReply(model: model, reason: "the reply does not say done") }
        return accumulator.reply()
    }

    static func readStream(_ body: HTTPClientResponse.Body, model: String, onToken: @Sendable (String) -> Void) async throws -> ChatReply {
        var accumulator = Accumulator(model: model)
        var pending: [UInt8] = []
        do {
            for try await chunk in body {
                pending.append(contentsOf: chunk.readableBytesView)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = pending[..<newline]
                    if !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) { try accumulator.add(line, onToken: onToken) }
                    pending.removeSubrange(...newline)
                }
                guard pending.count <= ServerSentEventParser.maxLineBytes else {
                    throw LLMError.malformedReply(model: model, reason: "a stream line is longer than \(ServerSentEventParser.maxLineBytes) bytes")
                }
            }
            if !pending.isEmpty { try accumulator.add(pending[...], onToken: onToken) }
        } catch {
            throw LLMFailure.streamFailure(error, model: model)
        }
        guard accumulator.done else {
            throw LLMError.malformedReply(model: model, reason: "the stream ended before the reply was complete")
        }
        return accumulator.reply()
    }

    struct Accumulator {
        let model: String
        var content = ""
        var calls: [ToolCall] = []
        var done = false
        var finishReason: String?
        var usage = TokenUsage()

        mutating func add(_ line: ArraySlice<UInt8>, onToken: (String) -> Void) throws {
            let value: JSONValue
            do {
                value = try JSONParser.parse(line)
            } catch {
                throw LLMError.malformedReply(model: model, reason: "\(error)")
            }
            if let error = value["error"]?.stringValue {
                throw LLMError.http(model: model, status: 500, message: String(error.prefix(500)))
            }
            guard let message = value["message"], message.objectValue != nil else {
                throw LLMError.malformedReply(model: model, reason: "no message in the reply")
            }
            if let text = message["content"]?.stringValue, !text.isEmpty {
                content += text
                onToken(text)
            }
            for call in message["tool_calls"]?.arrayValue ?? [] {
                guard let name = call["function"]?["name"]?.stringValue else {
                    throw LLMError.malformedReply(model: model, reason: "a tool call has no function.name")
                }
                let arguments = call["function"]?["arguments"]
                calls.append(ToolCall(
                    id: "call_\(calls.count)", name: name, rawArguments: arguments?.stringValue ?? arguments?.encodedString() ?? ""))
            }
            if value["done"]?.boolValue == true {
                done = true
                finishReason = calls.isEmpty ? value["done_reason"]?.stringValue : "tool_calls"
                usage = TokenUsage(
                    promptTokens: value["prompt_eval_count"]?.intValue ?? TokenUsage.estimate(content),
                    completionTokens: value["eval_count"]?.intValue ?? 0, estimated: value["eval_count"]?.intValue == nil)
            }
        }

        func reply() -> ChatReply {
            ChatReply(content: content, toolCalls: calls, finishReason: finishReason, usage: usage, model: model)
        }
    }
}

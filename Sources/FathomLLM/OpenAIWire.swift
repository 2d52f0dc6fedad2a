import AsyncHTTPClient
import FathomCore
import NIOCore

/// The JSON of the Chat Completions API: the request we send, and the reply or stream we read.
enum OpenAIWire {
    static func requestBody(_ request: ChatRequest, model: String, nativeTools: Bool, stream: Bool) -> [UInt8] {
        var body: [String: JSONValue] = [
            "model": .string(model),
            "messages": .array(request.messages.map(message)),
        ]
        if nativeTools && !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map { tool in
                ["type": "function", "function": ["name": .string(tool.name), "description": .string(tool.description), "parameters": tool.parameters]]
            })
            body["tool_choice"] = .string(request.toolChoice.rawValue)
        }
        if let tokens = request.maxTokens { body["max_tokens"] = .int(tokens) }
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if !request.stop.isEmpty { body["stop"] = .array(request.stop.map { .string($0) }) }
        if stream {
            body["stream"] = true
            body["stream_options"] = ["include_usage": true]
        }
        return JSONWriter.write(.object(body))
    }

    private static func message(_ message: ChatMessage) -> JSONValue {
        var object: [String: JSONValue] = ["role": .string(message.role.rawValue), "content": .string(message.content)]
        if !message.toolCalls.isEmpty {
            object["tool_calls"] = .array(message.toolCalls.map { call in
                ["id": .string(call.id), "type": "function", "function": ["name": .string(call.name), "arguments": .string(call.rawArguments)]]
            })
            if message.content.isEmpty { object["content"] = .null }
        }
        if let id = message.toolCallID { object["tool_call_id"] = .string(id) }
        return .object(object)
    }

    /// A whole `chat.completion` object.
    static func readReply(_ bytes: [UInt8], model: String) throws -> ChatReply {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw LLMError.malformedReply(model: model, reason: "\(error)")
        }
        guard let choice = value["choices"]?.arrayValue?.first, let message = choice["message"], message.objectValue != nil else {
            throw LLMError.malformedReply(model: model, reason: "no choices[0].message in the reply")
        }
        var calls: [ToolCall] = []
        for (index, call) in (message["tool_calls"]?.arrayValue ?? []).enumerated() {
            guard let name = call["function"]?["name"]?.stringValue else {
                throw LLMError.malformedReply(model: model, reason: "tool_calls[\(index)] has no function.name")
            }
            let arguments = call["function"]?["arguments"]
            calls.append(ToolCall(
                id: call["id"]?.stringValue ?? "call_\(index)", name: name,
                rawArguments: arguments?.stringValue ?? arguments.map { $0.encodedString() } ?? ""))
        }
        return ChatReply(
            content: message["content"]?.stringValue ?? "", toolCalls: calls, finishReason: choice["finish_reason"]?.stringValue,
            usage: usage(value["usage"]), model: model)
    }

    private static func usage(_ value: JSONValue?) -> TokenUsage {
        TokenUsage(
            promptTokens: value?["prompt_tokens"]?.intValue ?? 0, completionTokens: value?["completion_tokens"]?.intValue ?? 0,
            estimated: value?["prompt_tokens"]?.intValue == nil)
    }

    /// A `text/event-stream` of `chat.completion.chunk` objects, ended by `data: [DONE]`.
    static func readStream(
        _ body: HTTPClientResponse.Body, model: String, onToken: @Sendable (String) -> Void
    ) async throws -> ChatReply {
        var accumulator = StreamAccumulator(model: model)
        try await accumulator.read(body, model: model, onToken: onToken)
        return try accumulator.reply()
    }

    /// Deltas put together: content appended, each tool call's arguments appended by `index`.
    struct StreamAccumulator: StreamAccumulating {
        let model: String
        var content = ""
        var calls: [Int: (id: String, name: String, arguments: String)] = [:]
        var finishReason: String?
        var usage: TokenUsage?
        var done = false

        mutating func add(_ data: String, onToken: (String) -> Void) throws {
            if data == "[DONE]" {
                done = true
                return
            }
            let chunk: JSONValue
            do {
                chunk = try JSONParser.parse(data)
            } catch {
                throw LLMError.malformedReply(model: model, reason: "a stream chunk is not JSON (\(error))")
            }
            if let error = chunk["error"] {
                throw LLMError.http(model: model, status: 500, message: LLMFailure.serverMessage(JSONValue.object(["error": error]).encodedString()))
            }
            if let counts = chunk["usage"], counts.objectValue != nil { usage = OpenAIWire.usage(counts) }
            guard let choice = chunk["choices"]?.arrayValue?.first else { return }
            if let reason = choice["finish_reason"]?.stringValue { finishReason = reason }
            guard let delta = choice["delta"] else { return }
            if let text = delta["content"]?.stringValue, !text.isEmpty {
                content += text
                onToken(text)
            }
            for call in delta["tool_calls"]?.arrayValue ?? [] {
                let index = call["index"]?.intValue ?? calls.count
                var entry = calls[index] ?? ("call_\(index)", "", "")
                if let id = call["id"]?.stringValue { entry.id = id }
                if let name = call["function"]?["name"]?.stringValue { entry.name += name }
                if let arguments = call["function"]?["arguments"]?.stringValue { entry.arguments += arguments }
                calls[index] = entry
            }
        }

        func reply() throws -> ChatReply {
            guard done || finishReason != nil else {
                throw LLMError.malformedReply(model: model, reason: "the stream ended before the reply was complete")
            }
            let toolCalls = calls.sorted { $0.key < $1.key }.map { ToolCall(id: $0.value.id, name: $0.value.name, rawArguments: $0.value.arguments) }
            return ChatReply(
                content: content, toolCalls: toolCalls, finishReason: finishReason,
                usage: usage ?? TokenUsage(promptTokens: 0, completionTokens: TokenUsage.estimate(content), estimated: true), model: model)
        }
    }
}

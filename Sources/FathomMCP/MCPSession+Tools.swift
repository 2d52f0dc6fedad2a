import FathomCore
import FathomTools
import Foundation
import MCP

extension MCPSession {
    func listTools(id: ID, params: [String: JSONValue]) throws -> Data {
        let version = protocolVersion ?? ProtocolVersion.latest
        let descriptors = services.registry.descriptors(client: client)
        let (page, next) = try Pagination.page(descriptors, cursor: params["cursor"], size: services.config.mcp.pageSize)
        let tools = page.map { Self.wireTool($0, version: version) }
        return JSONRPC.result(id, ListTools.Result(tools: tools, nextCursor: next))
    }

    /// A tool as the negotiated revision describes one: no annotations before 2025-03-26,
    /// no title or outputSchema before 2025-06-18.
    static func wireTool(_ tool: ToolDescriptor, version: String) -> MCP.Tool {
        let structured = ProtocolVersion.hasStructuredOutput(version)
        var annotations: MCP.Tool.Annotations = nil
        if ProtocolVersion.hasAnnotations(version) {
            annotations = MCP.Tool.Annotations(
                title: tool.title, readOnlyHint: tool.annotations.isReadOnly,
                destructiveHint: tool.annotations.isDestructive, idempotentHint: tool.annotations.isIdempotent,
                openWorldHint: tool.annotations.isOpenWorld)
        }
        return MCP.Tool(
            name: tool.name, title: structured ? tool.title : nil, description: tool.description,
            inputSchema: MCP.Value(tool.inputSchema), annotations: annotations,
            outputSchema: structured ? tool.outputSchema.map(MCP.Value.init) : nil)
    }

    /// The context a tool call runs with: identity, roots, and progress and log channels bound to this request.
    func toolContext(progressToken: JSONValue?, channel: any ReplyChannel) -> ToolContext {
        let (level, version, canAsk, canSample) = state.withLock {
            ($0.logLevel, $0.protocolVersion, $0.clientSupportsElicitation, $0.clientSupportsSampling)
        }
        let withMessage = (version ?? ProtocolVersion.latest) >= "2025-03-26"
        let token = progressToken.flatMap { $0.stringValue != nil || $0.intValue != nil ? $0 : nil }
        return ToolContext(
            client: client, clientRoots: clientRoots,
            progress: { done, total, message in
                guard let token else { return }
                var params: [String: JSONValue] = ["progressToken": token, "progress": .double(done)]
                if let total { params["total"] = .double(total) }
                if let message, withMessage { params["message"] = .string(message) }
                channel.notify(JSONRPC.notification("notifications/progress", .object(params)))
            },
            log: { messageLevel, text in
                guard let level, messageLevel >= level else { return }
                channel.notify(
                    JSONRPC.notification(
                        "notifications/message",
                        ["level": .string(messageLevel.rawValue), "logger": "fathom", "data": .string(text)]))
            },
            approve: canAsk ? approver(channel: channel) : nil,
            sample: canSample ? sampler(channel: channel) : nil)
    }

    /// How long the client has to answer a sampling request (a person may review it first).
    static let samplingTimeout = Duration.seconds(300)

    private func sampler(channel: any ReplyChannel) -> @Sendable (JSONValue) async throws -> JSONValue {
        { [weak self] params in
            guard let self else { throw CancellationError() }
            return try await self.request("sampling/createMessage", params, timeout: Self.samplingTimeout, via: channel)
        }
    }

    private func approver(channel: any ReplyChannel) -> @Sendable (String) async -> ToolContext.Approval {
        { [weak self] message in
            guard let self else { return .declined("the session ended") }
            return await self.elicitApproval(message, channel: channel)
        }
    }

    /// How long a person has to answer an approval question.
    static let approvalTimeout = Duration.seconds(300)

    /// `elicitation/create` with one yes/no field; anything but an accepted yes is a no.
    func elicitApproval(_ message: String, channel: any ReplyChannel) async -> ToolContext.Approval {
        let schema: JSONValue = [
            "type": "object",
            "properties": ["approve": ["type": "boolean", "title": "Approve", "description": "Run this call, which changes things."]],
            "required": ["approve"],
        ]
        do {
            let answer = try await request(
                "elicitation/create", ["message": .string(message), "requestedSchema": schema], timeout: Self.approvalTimeout, via: channel)
            switch answer["action"]?.stringValue {
            case "accept":
                return answer["content"]?["approve"]?.boolValue == true ? .approved : .declined("the user did not approve it")
            case "decline": return .declined("the user declined it")
            case "cancel": return .declined("the user cancelled the question")
            default: return .declined("the client's answer to the approval question was not understood")
            }
        } catch {
            return .declined("no approval was given (\(error))")
        }
    }

    static func callTool(
        id: ID, params: [String: JSONValue], services: MCPServices, context: ToolContext, version: String
    ) async -> Data? {
        guard let name = params["name"]?.stringValue else {
            return JSONRPC.error(id, JSONRPC.invalidParams, "Invalid params: tools/call needs a string \"name\".")
        }
        let arguments = params["arguments"]
        if let arguments, arguments.objectValue == nil && !arguments.isNull {
            return JSONRPC.error(id, JSONRPC.invalidParams, "Invalid params: \"arguments\" must be an object.")
        }
        switch await services.registry.call(name, arguments: arguments?.isNull == true ? nil : arguments, context: context) {
        case .unknownTool:
            return JSONRPC.error(id, JSONRPC.invalidParams, "Unknown tool '\(name.prefix(200))': call tools/list for the available tools.")
        case .cancelled:
            return nil
        case .result(let result):
            return JSONRPC.result(id, wireResult(result, version: version))
        }
    }

    /// A tool result in the wire shape of `CallToolResult`, built as JSON directly: this is the hottest
    /// reply, and going through the SDK's `CallTool.Result` and Foundation's encoder doubled its cost.
    static func wireResult(_ result: ToolResult, version: String) -> JSONValue {
        let content: [JSONValue] = result.content.map { block in
            switch block {
            case .text(let text): ["type": "text", "text": .string(text)]
            case .image(let data, let mimeType): ["type": "image", "data": .string(data), "mimeType": .string(mimeType)]
            case .audio(let data, let mimeType):
                ProtocolVersion.hasAudio(version)
                    ? ["type": "audio", "data": .string(data), "mimeType": .string(mimeType)]
                    // 2024-11-05 has no audio content; say what was left out rather than send an unknown type.
                    : ["type": "text", "text": .string("[\(mimeType) audio, \(data.utf8.count) base64 bytes: this protocol version (2024-11-05) cannot carry audio]")]
            }
        }
        var object: [String: JSONValue] = ["content": .array(content)]
        if result.isError { object["isError"] = true }
        if ProtocolVersion.hasStructuredOutput(version), let structured = result.structured {
            object["structuredContent"] = structured
        }
        return .object(object)
    }

    func setLogLevel(id: ID, params: [String: JSONValue]) throws -> Data {
        guard let name = params["level"]?.stringValue, let level = ToolContext.LogLevel(rawValue: name) else {
            let levels = ToolContext.LogLevel.allCases.map(\.rawValue).joined(separator: ", ")
            throw JSONRPC.Failure.invalidParams("Invalid params: \"level\" must be one of \(levels).")
        }
        state.withLock { $0.logLevel = level }
        return JSONRPC.result(id, JSONValue.object([:]))
    }
}

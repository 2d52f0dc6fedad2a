import Foundation
import FathomCore

/// One message of a conversation with a model.
public struct ChatMessage: Sendable, Equatable {
    public enum Role: String, Sendable {
        case system, user, assistant, tool
    }

    public var role: Role
    public var content: String
    /// The calls an assistant message asked for.
    public var toolCalls: [ToolCall]
    /// For a `tool` message: the call it answers.
    public var toolCallID: String?

    public init(role: Role, content: String, toolCalls: [ToolCall] = [], toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: text) }
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: text) }
}

/// A tool call a model asked for.
public struct ToolCall: Sendable, Equatable {
    public var id: String
    public var name: String
    /// The arguments as the model wrote them, which may not be JSON.
    public var rawArguments: String

    public init(id: String, name: String, rawArguments: String) {
        self.id = id
        self.name = name
        self.rawArguments = rawArguments
    }

    /// The arguments as a JSON object; an empty string is `{}`.
    /// - Throws: when the model wrote something that is not a JSON object.
    public func arguments() throws -> JSONValue {
        let text = rawArguments.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return .object([:]) }
        let value = try JSONParser.parse(text)
        guard case .object = value else { throw LLMError.malformedToolCall(name: name, reason: "arguments are \(value.typeName), not an object") }
        return value
    }
}

/// A tool as offered to a model: its name, what it does, and a JSON Schema for its arguments.
public struct ToolSpec: Sendable, Equatable {
    public var name: String
    public var description: String
    public var parameters: JSONValue

    public init(name: String, description: String, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}

import FathomCore

/// What a tool returns: content blocks for people and models, optional structured content for programs.
public struct ToolResult: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        case text(String)
        /// Base64 data with its MIME type.
        case image(base64: String, mimeType: String)
        case audio(base64: String, mimeType: String)
    }

    public var content: [Content]
    public var structured: JSONValue?
    public var isError: Bool

    public init(content: [Content], structured: JSONValue? = nil, isError: Bool = false) {
        self.content = content
        self.structured = structured
        self.isError = isError
    }

    public static func text(_ text: String, structured: JSONValue? = nil) -> ToolResult {
        ToolResult(content: [.text(text)], structured: structured)
    }

    /// A failure the caller can act on: it reaches an MCP client as `isError: true` content.
    public static func error(_ message: String) -> ToolResult {
        ToolResult(content: [.text(message)], isError: true)
    }

    /// The text of all text blocks, joined: for the CLI and for audit messages.
    public var text: String {
        content.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined(separator: "\n")
    }
}

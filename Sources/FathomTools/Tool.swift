import FathomCore

/// A tool that any MCP client or agent can call.
public protocol Tool: Sendable {
    /// Decoded once, in the registry, after the input schema has been checked: a tool never sees raw JSON.
    associatedtype Arguments: Decodable & Sendable
    static var name: String { get }
    static var title: String { get }
    static var description: String { get }
    static var inputSchema: JSONValue { get }
    /// When set, `structuredContent` of every successful result is checked against it.
    static var outputSchema: JSONValue? { get }
    static var annotations: ToolAnnotations { get }
    /// The toolset the tool belongs to, for `toolset:NAME` policy rules.
    static var toolset: String { get }
    /// The boolean argument that makes a call change nothing (`dry_run`), if the tool has one: such a
    /// call of a destructive tool is not put to the user for approval.
    static var dryRunArgument: String? { get }
    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult
}

extension Tool {
    public static var outputSchema: JSONValue? { nil }
    public static var dryRunArgument: String? { nil }
}

/// What every client sees of a tool: its name, schemas and annotations.
public struct ToolDescriptor: Sendable, Hashable {
    public let name: String
    public let title: String
    public let description: String
    public let inputSchema: JSONValue
    public let outputSchema: JSONValue?
    public let annotations: ToolAnnotations
    public let toolset: String
    public let dryRunArgument: String?

    public init(
        name: String, title: String, description: String, inputSchema: JSONValue, outputSchema: JSONValue? = nil,
        annotations: ToolAnnotations, toolset: String, dryRunArgument: String? = nil
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.annotations = annotations
        self.toolset = toolset
        self.dryRunArgument = dryRunArgument
    }

    public init(_ tool: (some Tool).Type) {
        name = tool.name
        title = tool.title
        description = tool.description
        inputSchema = tool.inputSchema
        outputSchema = tool.outputSchema
        annotations = tool.annotations
        toolset = tool.toolset
        dryRunArgument = tool.dryRunArgument
    }
}

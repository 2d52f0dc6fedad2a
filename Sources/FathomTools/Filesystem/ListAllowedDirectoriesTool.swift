import FathomCore

struct ListAllowedDirectoriesTool: Tool {
    struct Arguments: Decodable, Sendable {}

    static let name = "list_allowed_directories"
    static let title = "List allowed directories"
    static let description = "The directories the filesystem tools may use. Call this first to learn where paths may point."
    static let inputSchema: JSONValue = ["type": "object", "properties": [:], "additionalProperties": false]
    static let outputSchema: JSONValue? = [
        "type": "object",
        "properties": ["directories": ["type": "array", "items": ["type": "string"]]],
        "required": ["directories"],
    ]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = FilesystemToolset.name
    let access: FilesystemAccess

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let roots = access.pathGuard(for: context).roots
        return .text(
            "Allowed directories:\n" + roots.joined(separator: "\n"),
            structured: ["directories": .array(roots.map(JSONValue.string))])
    }
}

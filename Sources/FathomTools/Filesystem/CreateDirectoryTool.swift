import FathomCore

struct CreateDirectoryTool: Tool {
    struct Arguments: Decodable, Sendable { var path: String }

    static let name = "create_directory"
    static let title = "Create directory"
    static let description = "Create a directory and any missing parents. Succeeds if it already exists."
    static let inputSchema: JSONValue = [
        "type": "object", "properties": ["path": FilesystemToolset.pathProperty], "required": ["path"],
        "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.write(destructive: false, idempotent: true)
    static let toolset = FilesystemToolset.name
    let access: FilesystemAccess

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let directory = try access.pathGuard(for: context).createDirectory(arguments.path)
        return .text("Directory \(directory.path) exists")
    }
}

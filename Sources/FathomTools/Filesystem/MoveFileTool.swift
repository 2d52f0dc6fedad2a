import FathomCore

struct MoveFileTool: Tool {
    struct Arguments: Decodable, Sendable {
        var source: String
        var destination: String
    }

    static let name = "move_file"
    static let title = "Move or rename"
    static let description = "Move or rename a file or directory. Fails if the destination exists; nothing is overwritten."
    static let inputSchema: JSONValue = [
        "type": "object",
        "properties": ["source": FilesystemToolset.pathProperty, "destination": FilesystemToolset.pathProperty],
        "required": ["source", "destination"], "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.write(destructive: false, idempotent: false)
    static let toolset = FilesystemToolset.name
    let access: FilesystemAccess

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let guardian = access.pathGuard(for: context)
        let source = try guardian.resolveEntry(arguments.source)
        let destination = try guardian.resolveEntry(arguments.destination)
        try guardian.move(source, to: destination)
        return .text("Moved \(source.path) to \(destination.path)")
    }
}

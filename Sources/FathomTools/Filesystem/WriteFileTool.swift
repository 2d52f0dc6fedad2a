import FathomCore
import Foundation

struct WriteFileTool: Tool {
    struct Arguments: Decodable, Sendable {
        var path: String
        var content: String
    }

    static let name = "write_file"
    static let title = "Write file"
    static let description = "Create a file, or replace one completely, with the given text. The write is atomic and never follows a symlink."
    static let inputSchema: JSONValue = [
        "type": "object",
        "properties": ["path": FilesystemToolset.pathProperty, "content": ["type": "string"]],
        "required": ["path", "content"], "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.write(destructive: true, idempotent: true)
    static let toolset = FilesystemToolset.name
    let access: FilesystemAccess

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let guardian = access.pathGuard(for: context)
        let file = try guardian.resolve(arguments.path, mustExist: false)
        try guardian.write(Data(arguments.content.utf8), to: file)
        return .text("Wrote \(arguments.content.utf8.count) bytes to \(file.path)")
    }
}

import FathomCore
import Foundation

struct ReadMultipleFilesTool: Tool {
    struct Arguments: Decodable, Sendable { var paths: [String] }

    static let name = "read_multiple_files"
    static let title = "Read several text files"
    static let description = """
        Read several text files at once. Each file is shown under its path; a file that cannot be read shows its error \
        and does not stop the others. All files share one filesystem.max_read_bytes budget.
        """
    static let inputSchema: JSONValue = [
        "type": "object",
        "properties": ["paths": ["type": "array", "items": FilesystemToolset.pathProperty, "minItems": 1, "maxItems": 100]],
        "required": ["paths"], "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = FilesystemToolset.name
    let access: FilesystemAccess

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let guardian = access.pathGuard(for: context)
        var budget = access.settings.maxReadBytes
        var sections: [String] = []
        for path in arguments.paths {
            try Task.checkCancellation()
            guard budget > 0 else {
                sections.append("\(path):\n[truncated: the read budget is spent; read this file on its own]")
                continue
            }
            do {
                let text = try ReadTextFileTool.readText(path, guardian: guardian, limit: budget)
                budget -= text.utf8.count
                sections.append("\(path):\n\(text)")
            } catch let error as FilesystemError {
                sections.append("\(path): Error - \(error)")
            }
        }
        return .text(sections.joined(separator: "\n---\n"))
    }
}

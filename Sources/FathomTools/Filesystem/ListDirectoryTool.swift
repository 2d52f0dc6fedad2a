import FathomCore

struct ListDirectoryTool: Tool {
    struct Arguments: Decodable, Sendable { var path: String }

    static let name = "list_directory"
    static let title = "List directory"
    static let description = "List a directory's entries, one per line, marked [DIR] or [FILE] ([LINK] for symlinks)."
    static let inputSchema: JSONValue = [
        "type": "object", "properties": ["path": FilesystemToolset.pathProperty], "required": ["path"],
        "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = FilesystemToolset.name
    static let maxEntries = 10_000
    let access: FilesystemAccess

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let guardian = access.pathGuard(for: context)
        let directory = try guardian.resolve(arguments.path)
        let entries = try DirectoryEntry.list(directory, guardian: guardian, limit: Self.maxEntries + 1)
        var lines = entries.prefix(Self.maxEntries).map { entry in
            switch entry.kind {
            case .directory: "[DIR] \(entry.name)"
            case .symlink: "[LINK] \(entry.name)"
            default: "[FILE] \(entry.name)"
            }
        }
        if entries.count > Self.maxEntries {
            lines.append("[truncated: showed the first \(Self.maxEntries) entries; use search_files with a pattern to narrow]")
        }
        return .text(lines.isEmpty ? "(empty directory)" : lines.joined(separator: "\n"))
    }
}

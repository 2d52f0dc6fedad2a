import FathomCore

struct ListDirectoryWithSizesTool: Tool {
    struct Arguments: Decodable, Sendable {
        var path: String
        var sortBy: String?
    }

    static let name = "list_directory_with_sizes"
    static let title = "List directory with sizes"
    static let description = "List a directory's entries with their sizes, sorted by name or by size (largest first), with totals."
    static let inputSchema: JSONValue = [
        "type": "object",
        "properties": [
            "path": FilesystemToolset.pathProperty,
            "sortBy": ["type": "string", "enum": ["name", "size"], "default": "name"],
        ],
        "required": ["path"], "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = FilesystemToolset.name
    let access: FilesystemAccess

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let guardian = access.pathGuard(for: context)
        let directory = try guardian.resolve(arguments.path)
        var entries = try DirectoryEntry.list(directory, guardian: guardian, limit: ListDirectoryTool.maxEntries + 1)
        let truncated = entries.count > ListDirectoryTool.maxEntries
        entries = Array(entries.prefix(ListDirectoryTool.maxEntries))
        if arguments.sortBy == "size" {
            entries.sort { ($0.size, $1.name) > ($1.size, $0.name) }
        }
        var lines = entries.map { entry in
            let marker = entry.kind == .directory ? "[DIR] " : entry.kind == .symlink ? "[LINK]" : "[FILE]"
            let size = entry.kind == .directory ? "" : Self.format(entry.size)
            return "\(marker) \(entry.name.padding(toLength: max(30, entry.name.count), withPad: " ", startingAt: 0)) \(size)"
        }
        let files = entries.filter { $0.kind != .directory }
        lines.append("")
        lines.append("Total: \(files.count) files, \(entries.count - files.count) directories")
        lines.append("Combined size: \(Self.format(files.reduce(0) { $0 + $1.size }))")
        if truncated { lines.append("[truncated: showed the first \(ListDirectoryTool.maxEntries) entries]") }
        return .text(lines.joined(separator: "\n"))
    }

    static func format(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.2f", value) + " " + units[unit]
    }
}

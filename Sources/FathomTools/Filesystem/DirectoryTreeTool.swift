import FathomCore

struct DirectoryTreeTool: Tool {
    struct Arguments: Decodable, Sendable {
        var path: String
        var excludePatterns: [String]?
        var maxDepth: Int?
    }

    static let name = "directory_tree"
    static let title = "Directory tree"
    static let description = """
        A recursive tree of a directory as JSON: [{"name", "type": "file"|"directory"|"symlink"|"other", "children"}]. \
        Symlinks are shown, not followed. Bounded by maxDepth and filesystem.max_entries, with a [truncated: …] line.
        """
    static let inputSchema: JSONValue = [
        "type": "object",
        "properties": [
            "path": FilesystemToolset.pathProperty,
            "excludePatterns": ["type": "array", "items": ["type": "string"], "maxItems": 100],
            "maxDepth": ["type": "integer", "minimum": 1, "maximum": 64, "default": 20],
        ],
        "required": ["path"], "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = FilesystemToolset.name
    let access: FilesystemAccess

    private final class Node {
        let name: String
        let kind: DirectoryEntry.Kind
        var children: [Node] = []
        init(name: String, kind: DirectoryEntry.Kind) {
            self.name = name
            self.kind = kind
        }
        var json: JSONValue {
            var object: [String: JSONValue] = ["name": .string(name), "type": .string(kind == .directory ? "directory" : kind.rawValue)]
            if kind == .directory { object["children"] = .array(children.map(\.json)) }
            return .object(object)
        }
    }

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let guardian = access.pathGuard(for: context)
        let start = try guardian.resolve(arguments.path)
        let maxDepth = arguments.maxDepth ?? 20
        let root = Node(name: "", kind: .directory)
        var nodes: [String: Node] = ["": root]
        var depthCut = false
        let walker = DirectoryWalker(
            guardian: guardian, maxEntries: access.settings.maxEntries,
            exclude: (arguments.excludePatterns ?? []).map(GlobPattern.init))
        let (visited, truncated) = try await walker.walk(from: start, context: context) { visit in
            let depth = visit.relative.split(separator: "/").count
            if depth > maxDepth {
                depthCut = true
                return true
            }
            let parentPath = String(visit.relative.dropLast(visit.entry.name.count + (depth > 1 ? 1 : 0)))
            guard let parent = nodes[parentPath] else { return true }
            let node = Node(name: visit.entry.name, kind: visit.entry.kind)
            parent.children.append(node)
            if visit.entry.kind == .directory { nodes[visit.relative] = node }
            return true
        }
        var text = JSONValue.array(root.children.map(\.json)).encodedString()
        if truncated { text += "\n[truncated: stopped after \(visited) entries; use excludePatterns or a narrower path]" }
        if depthCut { text += "\n[truncated: entries deeper than maxDepth \(maxDepth) are left out]" }
        return .text(text)
    }
}

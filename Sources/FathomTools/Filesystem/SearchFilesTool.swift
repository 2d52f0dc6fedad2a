import FathomCore
import Foundation

struct SearchFilesTool: Tool {
    struct Arguments: Decodable, Sendable {
        var path: String
        var pattern: String
        var excludePatterns: [String]?
        var content: String?
        var maxResults: Int?
    }

    static let name = "search_files"
    static let title = "Search files"
    static let description = """
        Find files under a directory whose name matches a glob (`*.log`; a pattern with `/` such as `**/pods/*.yaml` \
        matches the path relative to `path`), optionally only those containing the text `content`. \
        Returns one absolute path per line, at most maxResults. Sends progress for large trees.
        """
    static let inputSchema: JSONValue = [
        "type": "object",
        "properties": [
            "path": FilesystemToolset.pathProperty,
            "pattern": ["type": "string", "minLength": 1, "maxLength": 1000],
            "excludePatterns": ["type": "array", "items": ["type": "string"], "maxItems": 100],
            "content": ["type": "string", "minLength": 1, "maxLength": 10000, "description": "Only files containing this text."],
            "maxResults": ["type": "integer", "minimum": 1, "maximum": 10000, "default": 1000],
        ],
        "required": ["path", "pattern"], "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = FilesystemToolset.name
    /// Content search skips files larger than this.
    static let maxContentFileBytes = 10 * 1024 * 1024
    let access: FilesystemAccess

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let guardian = access.pathGuard(for: context)
        let start = try guardian.resolve(arguments.path)
        let pattern = GlobPattern(arguments.pattern)
        let byPath = arguments.pattern.contains("/")
        let needle = arguments.content.map { Data($0.utf8) }
        let maxResults = arguments.maxResults ?? 1000
        var matches: [String] = []
        var moreMatches = false
        let walker = DirectoryWalker(
            guardian: guardian, maxEntries: access.settings.maxEntries,
            exclude: (arguments.excludePatterns ?? []).map(GlobPattern.init))
        let (visited, truncated) = try await walker.walk(from: start, context: context) { visit in
            let nameMatches = byPath ? pattern.matches(path: visit.relative) : pattern.matches(name: visit.entry.name)
            guard nameMatches else { return true }
            if let needle {
                guard visit.entry.kind == .file, visit.entry.size <= Self.maxContentFileBytes,
                    let (data, _) = try? guardian.read(visit.resolved, limit: Self.maxContentFileBytes),
                    !data.looksBinary, data.range(of: needle) != nil
                else { return true }
            }
            if matches.count == maxResults {
                moreMatches = true
                return false
            }
            matches.append(visit.resolved.path)
            return true
        }
        var text = matches.isEmpty ? "No matches found" : matches.joined(separator: "\n")
        if moreMatches {
            text += "\n[truncated: showed the first \(maxResults) matches; raise maxResults or narrow the pattern]"
        }
        if truncated {
            text += "\n[truncated: stopped after visiting \(visited) entries (filesystem.max_entries); search a narrower path]"
        }
        return .text(text)
    }
}

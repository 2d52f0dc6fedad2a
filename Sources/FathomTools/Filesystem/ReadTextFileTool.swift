import FathomCore
import Foundation

struct ReadTextFileTool: Tool {
    struct Arguments: Decodable, Sendable {
        var path: String
        var head: Int?
        var tail: Int?
    }

    static let name = "read_text_file"
    static let title = "Read text file"
    static let description = """
        Read a text file under the allowed directories. `head` returns only the first N lines, `tail` only the last N. \
        Output past filesystem.max_read_bytes is cut, with a [truncated: …] line saying how to read the rest.
        """
    static let inputSchema: JSONValue = [
        "type": "object",
        "properties": [
            "path": FilesystemToolset.pathProperty,
            "head": ["type": "integer", "minimum": 1, "description": "Only the first N lines."],
            "tail": ["type": "integer", "minimum": 1, "description": "Only the last N lines."],
        ],
        "required": ["path"],
        "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = FilesystemToolset.name
    let access: FilesystemAccess

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        if arguments.head != nil && arguments.tail != nil {
            return .error("Give head or tail, not both.")
        }
        let guardian = access.pathGuard(for: context)
        return .text(
            try Self.readText(arguments.path, guardian: guardian, limit: access.settings.maxReadBytes, head: arguments.head, tail: arguments.tail))
    }

    static func readText(_ path: String, guardian: PathGuard, limit: Int, head: Int? = nil, tail: Int? = nil) throws -> String {
        let (data, size, file) = try guardian.readChecked(path, limit: limit, fromEnd: tail != nil)
        if data.looksBinary { throw FilesystemError.notText(path: file.path) }
        let isCut = size > data.count
        if let tail {
            // The read began mid-file: its first line is partial unless the cut fell just after a newline.
            var lines = TextLimit.decodeCut(data).split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last == "" { lines.removeLast() }
            if isCut && !lines.isEmpty { lines.removeFirst() }
            let kept = lines.suffix(tail)
            let text = kept.joined(separator: "\n")
            if isCut && kept.count < tail {
                return "[truncated: only the last \(kept.count) lines fit in \(limit) bytes]\n" + text
            }
            return text
        }
        let text = isCut ? TextLimit.decodeCut(data) : String(decoding: data, as: UTF8.self)
        if let head {
            let pieces = text.split(separator: "\n", maxSplits: head, omittingEmptySubsequences: false)
            let joined = pieces.prefix(head).joined(separator: "\n")
            // Fewer pieces than head+1 means the read ended inside the requested lines.
            if isCut && pieces.count <= head {
                return joined + "\n[truncated: the first \(head) lines are longer than \(limit) bytes (filesystem.max_read_bytes)]"
            }
            return joined
        }
        if isCut {
            return text + "\n[truncated: showed \(text.utf8.count) of \(size) bytes; use head or tail to read a part]"
        }
        return text
    }
}

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
        let file = try guardian.resolve(arguments.path)
        return .text(try Self.readText(file, guardian: guardian, limit: access.settings.maxReadBytes, head: arguments.head, tail: arguments.tail))
    }

    static func readText(_ file: PathGuard.Resolved, guardian: PathGuard, limit: Int, head: Int? = nil, tail: Int? = nil) throws -> String {
        // A tail read must see the end of the file, so it reads up to 4× the limit before cutting.
        let readLimit = tail != nil ? limit * 4 : limit
        let (data, size) = try guardian.read(file, limit: readLimit)
        if data.prefix(8192).contains(0) { throw FilesystemError.notText(path: file.path) }
        var text = String(decoding: data, as: UTF8.self)
        if let head {
            text = text.split(separator: "\n", maxSplits: head, omittingEmptySubsequences: false).prefix(head).joined(separator: "\n")
        } else if let tail {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last == "" { lines.removeLast() }
            text = lines.suffix(tail).joined(separator: "\n")
        } else if size > data.count {
            return TextLimit.prefix(text, bytes: limit)
                + "\n[truncated: showed \(data.count) of \(size) bytes; use head or tail to read a part]"
        }
        return TextLimit.truncate(text, toBytes: limit, hint: "use head or tail with fewer lines")
    }
}

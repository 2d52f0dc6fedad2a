import FathomCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

struct GetFileInfoTool: Tool {
    struct Arguments: Decodable, Sendable { var path: String }

    static let name = "get_file_info"
    static let title = "File information"
    static let description = "Size, type, times and permissions of a file or directory."
    static let inputSchema: JSONValue = [
        "type": "object", "properties": ["path": FilesystemToolset.pathProperty], "required": ["path"],
        "additionalProperties": false,
    ]
    static let outputSchema: JSONValue? = [
        "type": "object",
        "properties": [
            "path": ["type": "string"],
            "type": ["type": "string", "enum": ["file", "directory", "other"]],
            "size": ["type": "integer", "minimum": 0],
            "modified": ["type": "string"],
            "accessed": ["type": "string"],
            "changed": ["type": "string"],
            "permissions": ["type": "string", "pattern": "^[0-7]{3,4}$"],
        ],
        "required": ["path", "type", "size", "modified", "accessed", "permissions"],
    ]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = FilesystemToolset.name
    let access: FilesystemAccess

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let guardian = access.pathGuard(for: context)
        let file = try guardian.resolve(arguments.path)
        let info = try guardian.info(file)
        let kind: String =
            switch info.st_mode & S_IFMT {
            case S_IFREG: "file"
            case S_IFDIR: "directory"
            default: "other"
            }
        func time(_ spec: timespec) -> String {
            Date(timeIntervalSince1970: TimeInterval(spec.tv_sec) + TimeInterval(spec.tv_nsec) / 1e9)
                .formatted(.iso8601)
        }
        let structured: JSONValue = [
            "path": .string(file.path),
            "type": .string(kind),
            "size": .int(Int(info.st_size)),
            "modified": .string(time(info.st_mtim)),
            "accessed": .string(time(info.st_atim)),
            "changed": .string(time(info.st_ctim)),
            "permissions": .string(String(info.st_mode & 0o7777, radix: 8).leftPadded(to: 3)),
        ]
        let order = ["path", "type", "size", "modified", "accessed", "changed", "permissions"]
        let text = order.compactMap { key in
            structured[key].map { value in "\(key): \(value.stringValue ?? value.encodedString())" }
        }.joined(separator: "\n")
        return .text(text, structured: structured)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

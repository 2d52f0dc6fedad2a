import FathomCore
import Foundation

struct ReadMediaFileTool: Tool {
    struct Arguments: Decodable, Sendable { var path: String }

    static let name = "read_media_file"
    static let title = "Read image or audio file"
    static let description = "Read an image or audio file and return it as base64 with its MIME type."
    static let inputSchema: JSONValue = [
        "type": "object", "properties": ["path": FilesystemToolset.pathProperty], "required": ["path"],
        "additionalProperties": false,
    ]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = FilesystemToolset.name
    let access: FilesystemAccess

    static let mimeTypes: [String: String] = [
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
        "bmp": "image/bmp", "svg": "image/svg+xml", "ico": "image/x-icon", "mp3": "audio/mpeg", "wav": "audio/wav",
        "ogg": "audio/ogg", "flac": "audio/flac", "m4a": "audio/mp4", "opus": "audio/opus",
    ]

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let guardian = access.pathGuard(for: context)
        let file = try guardian.resolve(arguments.path)
        let ext = (file.path as NSString).pathExtension.lowercased()
        let mimeType = Self.mimeTypes[ext] ?? "application/octet-stream"
        guard mimeType.hasPrefix("image/") || mimeType.hasPrefix("audio/") else {
            throw FilesystemError.notMedia(path: arguments.path, mimeType: mimeType)
        }
        let limit = access.settings.maxMediaBytes
        let (data, size) = try guardian.read(file, limit: limit)
        guard size <= limit else { throw FilesystemError.tooLarge(path: arguments.path, bytes: size, limit: limit) }
        let encoded = data.base64EncodedString()
        return ToolResult(content: [mimeType.hasPrefix("image/") ? .image(base64: encoded, mimeType: mimeType) : .audio(base64: encoded, mimeType: mimeType)])
    }
}

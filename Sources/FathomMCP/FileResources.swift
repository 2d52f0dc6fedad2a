import FathomCore
import FathomTools
import Foundation
import MCP

#if canImport(Glibc)
    import Glibc
#endif

/// Files under the allowed roots as MCP resources (`file:///…`), read through the same path guard as the tools.
struct FileResources: Sendable {
    static let template = "file:///{path}"
    /// resources/list shows the files directly in each root, at most this many.
    static let maxListed = 1000

    let access: FilesystemAccess

    struct Item: Sendable {
        let uri: String
        let name: String
        let mimeType: String
        let size: Int
    }

    func list(roots: [String]?) -> [Item] {
        let guardian = access.pathGuard(for: ToolContext(client: "", clientRoots: roots))
        var items: [Item] = []
        for root in guardian.roots {
            // Listed through a verified descriptor, which also leaves out denied entries.
            guard let resolved = try? guardian.resolve(root),
                let entries = try? DirectoryEntry.list(resolved, guardian: guardian, limit: Self.maxListed)
            else { continue }
            for entry in entries where entry.kind == .file && items.count < Self.maxListed {
                let path = resolved.path == "/" ? "/" + entry.name : resolved.path + "/" + entry.name
                items.append(Item(uri: Self.uri(path), name: entry.name, mimeType: Self.mimeType(path), size: Int(entry.size)))
            }
        }
        return items
    }

    func read(uri: String, roots: [String]?) throws -> Resource.Content {
        let guardian = access.pathGuard(for: ToolContext(client: "", clientRoots: roots))
        let path = try Self.path(from: uri)
        let file = try guardian.resolve(path)
        let mimeType = Self.mimeType(file.path)
        if mimeType.hasPrefix("image/") || mimeType.hasPrefix("audio/") {
            let (data, size) = try guardian.read(file, limit: access.settings.maxMediaBytes)
            guard size <= access.settings.maxMediaBytes else {
                throw FilesystemError.tooLarge(path: path, bytes: size, limit: access.settings.maxMediaBytes)
            }
            return .binary(data, uri: uri, mimeType: mimeType)
        }
        let (data, size) = try guardian.read(file, limit: access.settings.maxReadBytes)
        if data.withUnsafeBytes({ $0.prefix(8192).contains(0) }) {
            return .binary(data, uri: uri, mimeType: "application/octet-stream")
        }
        var text = size > data.count ? TextLimit.decodeCut(data) : String(decoding: data, as: UTF8.self)
        if size > data.count {
            text += "\n[truncated: showed \(data.count) of \(size) bytes; use the read_text_file tool with head or tail]"
        }
        return .text(text, uri: uri, mimeType: mimeType)
    }

    /// A value that changes when the file's content probably changed: for resources/subscribe.
    func stamp(uri: String, roots: [String]?) -> String {
        let guardian = access.pathGuard(for: ToolContext(client: "", clientRoots: roots))
        guard let path = try? Self.path(from: uri), let file = try? guardian.resolve(path),
            let info = try? guardian.info(file)
        else { return "missing" }
        return "\(info.st_size)-\(info.st_mtim.tv_sec)-\(info.st_mtim.tv_nsec)-\(info.st_ino)"
    }

    /// Completes the `{path}` of the file template: entries of the typed directory that start with the typed name.
    func completePath(_ prefix: String, roots: [String]?) -> [String] {
        let guardian = access.pathGuard(for: ToolContext(client: "", clientRoots: roots))
        if prefix.isEmpty { return guardian.roots.map { String($0.dropFirst()) } }
        let typed = prefix.hasPrefix("/") ? prefix : "/" + prefix
        let directory = typed.hasSuffix("/") ? typed : (typed as NSString).deletingLastPathComponent
        let start = typed.hasSuffix("/") ? "" : (typed as NSString).lastPathComponent
        guard let resolved = try? guardian.resolve(directory.isEmpty ? "/" : directory),
            let entries = try? DirectoryEntry.list(resolved, guardian: guardian, limit: 10_000)
        else {
            return guardian.roots.filter { $0.hasPrefix(typed) }.map { String($0.dropFirst()) }
        }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return entries.map(\.name).filter { $0.hasPrefix(start) }.map { String((base + $0).dropFirst()) }
    }

    static func uri(_ path: String) -> String {
        "file://" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path)
    }

    static func path(from uri: String) throws -> String {
        guard uri.hasPrefix("file://") else {
            throw JSONRPC.Failure.invalidParams("Unsupported resource URI '\(uri.prefix(200))': Fathom serves file:// URIs.")
        }
        let encoded = String(uri.dropFirst("file://".count))
        guard let path = encoded.removingPercentEncoding, path.hasPrefix("/") else {
            throw JSONRPC.Failure.invalidParams("Malformed file URI '\(uri.prefix(200))': expected file:///absolute/path.")
        }
        return path
    }

    static func mimeType(_ path: String) -> String {
        let ext = (path as NSString).pathExtension.lowercased()
        let known: [String: String] = [
            "md": "text/markdown", "json": "application/json", "yaml": "application/yaml", "yml": "application/yaml",
            "html": "text/html", "csv": "text/csv", "log": "text/plain", "txt": "text/plain", "swift": "text/x-swift",
            "py": "text/x-python", "sh": "text/x-shellscript", "png": "image/png", "jpg": "image/jpeg",
            "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp", "svg": "image/svg+xml",
            "mp3": "audio/mpeg", "wav": "audio/wav", "ogg": "audio/ogg",
        ]
        return known[ext] ?? "text/plain"
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One entry of a directory, read through a verified descriptor without following symlinks.
public struct DirectoryEntry: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case file, directory, symlink, other
    }

    public let name: String
    public let kind: Kind
    public let size: Int64
    public let modified: Date

    /// Lists a checked directory. Entries that match a deny pattern are left out, as if they were not there.
    /// - Parameter limit: at most this many entries are returned.
    public static func list(_ directory: PathGuard.Resolved, guardian: PathGuard, limit: Int = 100_000) throws -> [DirectoryEntry] {
        let fd = try guardian.openForReading(directory, directory: true)
        guard let stream = fdopendir(fd) else {
            close(fd)
            throw PathGuard.failure(directory.path, "list", errno)
        }
        defer { closedir(stream) }
        var entries: [DirectoryEntry] = []
        let prefix = directory.relative.isEmpty ? "" : directory.relative + "/"
        while entries.count < limit, let raw = readdir(stream) {
            let name = withUnsafeBytes(of: raw.pointee.d_name) { buffer in
                String(decoding: buffer.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            if guardian.deniedBy(relative: prefix + name) != nil { continue }
            var info = stat()
            guard fstatat(dirfd(stream), name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            let kind: Kind =
                switch info.st_mode & S_IFMT {
                case S_IFREG: .file
                case S_IFDIR: .directory
                case S_IFLNK: .symlink
                default: .other
                }
            let modified = Date(
                timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
            entries.append(DirectoryEntry(name: name, kind: kind, size: Int64(info.st_size), modified: modified))
        }
        return entries.sorted { $0.name < $1.name }
    }
}

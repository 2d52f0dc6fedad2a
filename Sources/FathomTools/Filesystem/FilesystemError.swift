/// Why a filesystem tool refused or failed. Each message says what to do next.
public enum FilesystemError: Error, CustomStringConvertible, Equatable {
    case emptyPath
    case nulByte
    case pathTooLong(bytes: Int, limit: Int)
    case nameTooLong(name: String, limit: Int)
    case outsideRoots(path: String, roots: [String])
    case denied(path: String, pattern: String)
    case notFound(path: String)
    case parentMissing(path: String)
    case notADirectory(path: String)
    case isADirectory(path: String)
    case alreadyExists(path: String)
    case tooLarge(path: String, bytes: Int, limit: Int)
    case notText(path: String)
    case notMedia(path: String, mimeType: String)
    case editNotFound(index: Int, path: String)
    case noRoots
    case system(path: String, operation: String, errno: Int32)

    public var description: String {
        switch self {
        case .emptyPath:
            return "The path is empty. Give a path inside one of the allowed directories (see list_allowed_directories)."
        case .nulByte:
            return "The path contains a NUL byte, which no real file name can hold; it was refused."
        case .pathTooLong(let bytes, let limit):
            return "The path is \(bytes) bytes long; the limit is \(limit). Use a shorter path."
        case .nameTooLong(let name, let limit):
            return "The name '\(name.prefix(40))…' is longer than \(limit) bytes, the filesystem's limit for one name."
        case .outsideRoots(let path, let roots):
            return "\(path) is outside the allowed directories (\(roots.joined(separator: ", "))). Call list_allowed_directories and use a path inside one of them."
        case .denied(let path, let pattern):
            return "\(path) is denied by pattern '\(pattern)' (filesystem.deny). Such files often hold secrets; ask an operator to change the deny list if it must be read."
        case .notFound(let path):
            return "\(path) does not exist (No such file or directory). Check the name with list_directory or search_files."
        case .parentMissing(let path):
            return "The parent directory of \(path) does not exist. Create it first with create_directory."
        case .notADirectory(let path):
            return "\(path) is not a directory."
        case .isADirectory(let path):
            return "\(path) is a directory; this tool needs a file. Use list_directory or directory_tree for directories."
        case .alreadyExists(let path):
            return "\(path) already exists. Choose another destination, or remove it first."
        case .tooLarge(let path, let bytes, let limit):
            return "\(path) is \(bytes) bytes, over the \(limit)-byte limit (filesystem.max_media_bytes)."
        case .notText(let path):
            return "\(path) looks binary (it holds NUL bytes). Use read_media_file for images and audio."
        case .notMedia(let path, let mimeType):
            return "\(path) is \(mimeType), not an image or audio file. Use read_text_file for text."
        case .editNotFound(let index, let path):
            return "Edit \(index + 1): its oldText was not found in \(path). Read the file again and copy the exact text to replace."
        case .noRoots:
            return "No allowed directories are configured. Set filesystem.roots in tools/filesystem.yaml, pass --root, or let the client offer roots."
        case .system(let path, let operation, let code):
            return "\(operation) \(path) failed: \(String(cString: strerror(code))) (errno \(code))."
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

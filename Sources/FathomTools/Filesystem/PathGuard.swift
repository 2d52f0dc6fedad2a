import FathomCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Decides whether a path may be touched, and opens it so that what is checked is what is used.
///
/// A path is checked twice: lexically (after `..` is folded), then again after symlinks are resolved.
/// Files are then opened and the opened descriptor's real path is checked a third time, so a symlink
/// swapped in between the check and the use is caught. Writes go to a temporary file created with
/// `O_EXCL|O_NOFOLLOW` in a verified directory and are renamed into place, so they never follow a link.
public struct PathGuard: Sendable {
    public static let maxPathBytes = 4096
    /// Linux's O_PATH (a descriptor for the path itself, no read permission needed), which Glibc's Swift
    /// module does not export; elsewhere a read-only open does the same job.
    #if os(Linux)
        static let openPathOnly: Int32 = 0o10000000
    #else
        static let openPathOnly: Int32 = O_RDONLY | O_NONBLOCK
    #endif
    public static let maxNameBytes = 255

    /// Real, absolute paths of the allowed roots.
    public let roots: [String]
    /// The roots as configured (absolute, folded), so a path spelled through a symlinked root
    /// passes the lexical check; the real-path check then uses ``roots``.
    private let spelledRoots: [String]
    public let deny: [GlobPattern]

    /// - Parameter roots: absolute paths; each is resolved through symlinks. Roots that do not exist are dropped.
    public init(roots: [String], deny: [String]) {
        var seen = Set<String>()
        var spelled: [String] = []
        self.roots = roots.compactMap { root in
            guard let real = Self.realPath(root) else { return nil }
            spelled.append(Self.fold(root))
            return real
        }.filter { seen.insert($0).inserted }
        self.spelledRoots = spelled
        // "X/**" denies what is inside X; X itself must be denied too, or X could be renamed or
        // replaced whole (moving ".git" aside, then reading "g/config").
        self.deny = deny.flatMap { pattern -> [GlobPattern] in
            pattern.hasSuffix("/**") && pattern.count > 3
                ? [GlobPattern(pattern), GlobPattern(String(pattern.dropLast(3)))] : [GlobPattern(pattern)]
        }
    }

    /// A checked path: its real location and the root it lies in.
    public struct Resolved: Sendable, Equatable {
        public let path: String
        public let root: String
        /// The path relative to its root, `""` for the root itself.
        public var relative: String {
            path == root ? "" : String(path.dropFirst(root == "/" ? 1 : root.count + 1))
        }
    }

    /// Checks `input` and returns its real path.
    /// - Parameter mustExist: false for a path about to be created; then its parent must exist and be allowed.
    public func resolve(_ input: String, mustExist: Bool = true) throws -> Resolved {
        guard !roots.isEmpty else { throw FilesystemError.noRoots }
        let lexical = try normalize(input)
        _ = try check(lexical, as: input, against: roots + spelledRoots)
        if let real = Self.realPath(lexical) {
            return try check(real, as: input)
        }
        if mustExist {
            // A dangling symlink whose target is outside must not read as "not found" only.
            if let target = Self.linkTarget(lexical) {
                let absolute = target.hasPrefix("/") ? target : ((lexical as NSString).deletingLastPathComponent + "/" + target)
                _ = try check(Self.fold(absolute), as: input, against: roots + spelledRoots)
            }
            throw FilesystemError.notFound(path: input)
        }
        if Self.linkTarget(lexical) != nil {
            throw FilesystemError.outsideRoots(path: input, roots: roots)
        }
        let parent = (lexical as NSString).deletingLastPathComponent
        guard let realParent = Self.realPath(parent) else { throw FilesystemError.parentMissing(path: input) }
        let name = (lexical as NSString).lastPathComponent
        return try check(realParent == "/" ? "/" + name : realParent + "/" + name, as: input)
    }

    /// Checks a directory entry itself (for a rename): its parent is resolved through symlinks, its last
    /// component is not, so renaming a symlink renames the link and never its target.
    public func resolveEntry(_ input: String) throws -> Resolved {
        guard !roots.isEmpty else { throw FilesystemError.noRoots }
        let lexical = try normalize(input)
        guard lexical != "/" else { throw FilesystemError.outsideRoots(path: input, roots: roots) }
        _ = try check(lexical, as: input, against: roots + spelledRoots)
        let parent = (lexical as NSString).deletingLastPathComponent
        guard let realParent = Self.realPath(parent) else { throw FilesystemError.parentMissing(path: input) }
        let name = (lexical as NSString).lastPathComponent
        let entry = try check(realParent == "/" ? "/" + name : realParent + "/" + name, as: input)
        guard entry.path != entry.root else { throw FilesystemError.outsideRoots(path: input, roots: roots) }
        return entry
    }

    /// Makes `input` absolute and folds `.` and `..` without touching the disk.
    public func normalize(_ input: String) throws -> String {
        guard !input.isEmpty else { throw FilesystemError.emptyPath }
        guard !input.utf8.contains(0) else { throw FilesystemError.nulByte }
        var path = input
        if path.hasPrefix("file://") { path = String(path.dropFirst(7)) }
        if path == "~" || path.hasPrefix("~/") { path = NSHomeDirectory() + path.dropFirst(1) }
        guard path.utf8.count <= Self.maxPathBytes else {
            throw FilesystemError.pathTooLong(bytes: path.utf8.count, limit: Self.maxPathBytes)
        }
        if let long = path.split(separator: "/").first(where: { $0.utf8.count > Self.maxNameBytes }) {
            throw FilesystemError.nameTooLong(name: String(long), limit: Self.maxNameBytes)
        }
        let absolute = path.hasPrefix("/") ? path : roots[0] + "/" + path
        return Self.fold(absolute)
    }

    private func check(_ absolute: String, as input: String, against allowed: [String]? = nil) throws -> Resolved {
        guard let root = (allowed ?? roots).first(where: { absolute == $0 || $0 == "/" || absolute.hasPrefix($0 + "/") }) else {
            throw FilesystemError.outsideRoots(path: input, roots: roots)
        }
        let resolved = Resolved(path: absolute, root: root)
        if let pattern = deniedBy(relative: resolved.relative) {
            throw FilesystemError.denied(path: input, pattern: pattern)
        }
        return resolved
    }

    /// The deny pattern that matches a root-relative path, if any.
    public func deniedBy(relative: String) -> String? {
        guard !relative.isEmpty else { return nil }
        return deny.first { $0.matches(path: relative) }?.pattern
    }

    // MARK: - Opening what was checked

    /// The metadata of a checked path, read through a descriptor whose real path is re-checked, so a
    /// symlink swapped in after the check cannot make it describe something outside the roots.
    public func info(_ resolved: Resolved) throws -> stat {
        let fd = open(resolved.path, Self.openPathOnly | O_CLOEXEC)
        guard fd >= 0 else { throw Self.failure(resolved.path, "stat", errno) }
        defer { close(fd) }
        try verify(fd, as: resolved.path)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Self.failure(resolved.path, "stat", errno) }
        return info
    }

    /// Opens a checked path for reading and re-checks the descriptor's real path.
    /// - Returns: an open descriptor the caller must close.
    public func openForReading(_ resolved: Resolved, directory: Bool = false) throws -> Int32 {
        try openVerified(resolved.path, as: resolved.path, directory: directory).fd
    }

    /// Opens `path`, then checks where the descriptor really points: whatever the path went through
    /// (symlinks, a swap since an earlier check), what is read is what was checked.
    private func openVerified(_ path: String, as input: String, directory: Bool) throws -> (fd: Int32, resolved: Resolved, info: stat) {
        // O_NONBLOCK so that opening a FIFO cannot hang; it changes nothing for regular files.
        let flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (directory ? O_DIRECTORY : 0)
        let fd = open(path, flags)
        guard fd >= 0 else { throw Self.failure(input, "open", errno) }
        var info = stat()
        do {
            let resolved = try verify(fd, as: input)
            if !directory {
                guard fstat(fd, &info) == 0 else { throw Self.failure(input, "stat", errno) }
                switch info.st_mode & S_IFMT {
                case S_IFREG: break
                case S_IFDIR: throw FilesystemError.isADirectory(path: input)
                default: throw FilesystemError.system(path: input, operation: "read (not a regular file)", errno: EINVAL)
                }
            }
            return (fd, resolved, info)
        } catch {
            close(fd)
            throw error
        }
    }

    /// Checks and reads a file in one go: a lexical check, then open, then the descriptor's real path.
    /// Two system calls replace the component-by-component walk of `realpath`; when the open fails,
    /// ``resolve(_:mustExist:)`` runs to say precisely why (outside the roots, denied, or missing).
    public func readChecked(_ input: String, limit: Int, fromEnd: Bool = false) throws -> (data: Data, size: Int, file: Resolved) {
        guard !roots.isEmpty else { throw FilesystemError.noRoots }
        let lexical = try normalize(input)
        _ = try check(lexical, as: input, against: roots + spelledRoots)
        let opened: (fd: Int32, resolved: Resolved, info: stat)
        do {
            opened = try openVerified(lexical, as: input, directory: false)
        } catch let error as FilesystemError {
            if case .isADirectory = error { throw error }
            _ = try resolve(input)
            throw error
        }
        defer { close(opened.fd) }
        let (data, size) = try read(fd: opened.fd, info: opened.info, path: input, limit: limit, fromEnd: fromEnd)
        return (data, size, opened.resolved)
    }

    /// Reads at most `limit` bytes of a checked file: its start, or with `fromEnd` its last `limit` bytes.
    /// - Returns: the bytes read, and the file's full size (for files whose size the kernel does not
    ///   report, such as those under /proc, at least what was read).
    public func read(_ resolved: Resolved, limit: Int, fromEnd: Bool = false) throws -> (data: Data, size: Int) {
        let opened = try openVerified(resolved.path, as: resolved.path, directory: false)
        defer { close(opened.fd) }
        return try read(fd: opened.fd, info: opened.info, path: resolved.path, limit: limit, fromEnd: fromEnd)
    }

    private func read(fd: Int32, info: stat, path: String, limit: Int, fromEnd: Bool) throws -> (data: Data, size: Int) {
        let size = Int(info.st_size)
        if fromEnd && size > limit {
            guard lseek(fd, off_t(size - limit), SEEK_SET) >= 0 else { throw Self.failure(path, "seek", errno) }
        }
        // A reported size is trusted to stop the loop without a last read that returns 0; a size of 0
        // (files under /proc) means reading to end of file.
        let expected = size > 0 ? min(size, limit) : limit
        var data = Data(count: size > 0 ? expected : min(64 * 1024, limit))
        var filled = 0
        while filled < expected {
            if filled == data.count { data.count = min(limit, max(data.count * 2, 4096)) }
            let n = data.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.read(fd, base.advanced(by: filled), buffer.count - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.failure(path, "read", errno)
            }
            if n == 0 { break }
            filled += n
        }
        data.count = filled
        return (data, max(size, filled))
    }

    /// Replaces the file at a checked path with `data`, atomically, without following any symlink.
    public func write(_ data: Data, to resolved: Resolved) throws {
        let directory = (resolved.path as NSString).deletingLastPathComponent
        let name = (resolved.path as NSString).lastPathComponent
        let dirfd = try openVerifiedDirectory(directory.isEmpty ? "/" : directory, as: resolved.path)
        defer { close(dirfd) }
        var mode: mode_t = 0o644
        var existing = stat()
        if fstatat(dirfd, name, &existing, AT_SYMLINK_NOFOLLOW) == 0 {
            if (existing.st_mode & S_IFMT) == S_IFDIR { throw FilesystemError.isADirectory(path: resolved.path) }
            mode = existing.st_mode & 0o7777
        }
        let temporary = ".fathom-\(UInt64.random(in: 0...UInt64.max)).tmp"
        let fd = openat(dirfd, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Self.failure(resolved.path, "create", errno) }
        var failure: (any Error)?
        data.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                guard let base = buffer.baseAddress else { return }
                let n = Glibc.write(fd, base.advanced(by: written), buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = Self.failure(resolved.path, "write", errno)
                    return
                }
                written += n
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = Self.failure(resolved.path, "fsync", errno) }
        close(fd)
        if failure == nil && renameat(dirfd, temporary, dirfd, name) != 0 {
            failure = Self.failure(resolved.path, "rename", errno)
        }
        if let failure {
            unlinkat(dirfd, temporary, 0)
            throw failure
        }
    }

    /// Creates a directory and any missing parents, each one under a verified, non-symlink parent.
    public func createDirectory(_ input: String) throws -> Resolved {
        let lexical = try normalize(input)
        _ = try check(lexical, as: input, against: roots + spelledRoots)
        var existing = lexical
        var missing: [String] = []
        while Self.realPath(existing) == nil {
            missing.insert((existing as NSString).lastPathComponent, at: 0)
            existing = (existing as NSString).deletingLastPathComponent
            if existing.isEmpty || existing == "/" { break }
        }
        guard let realExisting = Self.realPath(existing) else { throw FilesystemError.parentMissing(path: input) }
        var current = try check(realExisting, as: input)
        var dirfd = try openVerifiedDirectory(current.path, as: input)
        defer { close(dirfd) }
        for component in missing {
            if mkdirat(dirfd, component, 0o755) != 0 && errno != EEXIST {
                throw Self.failure(current.path + "/" + component, "mkdir", errno)
            }
            let next = openat(dirfd, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else { throw Self.failure(current.path + "/" + component, "open", errno) }
            close(dirfd)
            dirfd = next
            current = try check(current.path == "/" ? "/" + component : current.path + "/" + component, as: input)
        }
        return current
    }

    /// Renames a checked source to a checked, not yet existing destination.
    public func move(_ source: Resolved, to destination: Resolved) throws {
        let sourceDir = try openVerifiedDirectory((source.path as NSString).deletingLastPathComponent, as: source.path)
        defer { close(sourceDir) }
        let destinationDir = try openVerifiedDirectory(
            (destination.path as NSString).deletingLastPathComponent, as: destination.path)
        defer { close(destinationDir) }
        let destinationName = (destination.path as NSString).lastPathComponent
        let sourceName = (source.path as NSString).lastPathComponent
        // RENAME_NOREPLACE makes "fails if the destination exists" atomic; without it (old kernels,
        // some filesystems) a check just before the rename is the best there is.
        if let renameNoReplace = Self.renameNoReplace {
            if renameNoReplace(sourceDir, sourceName, destinationDir, destinationName, 1) == 0 { return }
            if errno == EEXIST { throw FilesystemError.alreadyExists(path: destination.path) }
            if errno != EINVAL && errno != ENOSYS { throw Self.failure(source.path, "move", errno) }
        }
        var info = stat()
        if fstatat(destinationDir, destinationName, &info, AT_SYMLINK_NOFOLLOW) == 0 {
            throw FilesystemError.alreadyExists(path: destination.path)
        }
        if renameat(sourceDir, sourceName, destinationDir, destinationName) != 0 {
            throw Self.failure(source.path, "move", errno)
        }
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc's `renameat2`, looked up at run time because Glibc's Swift module does not export it.
    private static let renameNoReplace: RenameAt2? = {
        guard let symbol = dlsym(nil, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()

    private func openVerifiedDirectory(_ path: String, as input: String) throws -> Int32 {
        let fd = open(path.isEmpty ? "/" : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw errno == ENOENT ? FilesystemError.parentMissing(path: input) : Self.failure(path, "open", errno)
        }
        do {
            try verify(fd, as: input)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Checks where an open descriptor really points, whatever happened to the path since it was checked.
    @discardableResult
    private func verify(_ fd: Int32, as input: String) throws -> Resolved {
        #if os(Linux)
            guard let real = Self.linkTarget("/proc/self/fd/\(fd)") else {
                throw FilesystemError.system(path: input, operation: "verify", errno: errno)
            }
        #else
            var buffer = [CChar](repeating: 0, count: Int(MAXPATHLEN))
            guard fcntl(fd, F_GETPATH, &buffer) == 0 else {
                throw FilesystemError.system(path: input, operation: "verify", errno: errno)
            }
            let real = String(cString: buffer)
        #endif
        return try check(real, as: input)
    }

    // MARK: - Path helpers

    /// Folds `.`, `..` and repeated slashes; `..` never climbs above `/`.
    static func fold(_ absolute: String) -> String {
        if isFolded(absolute) { return absolute }
        var parts: [Substring] = []
        for part in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Absolute, no empty, `.` or `..` component, no trailing slash: most paths, checked without allocating.
    private static func isFolded(_ path: String) -> Bool {
        let bytes = path.utf8
        guard bytes.first == UInt8(ascii: "/") else { return false }
        if bytes.count == 1 { return true }
        var length = 0
        var onlyDots = true
        for byte in bytes.dropFirst() {
            if byte == UInt8(ascii: "/") {
                if length == 0 || (onlyDots && length <= 2) { return false }
                length = 0
                onlyDots = true
            } else {
                length += 1
                if byte != UInt8(ascii: ".") { onlyDots = false }
            }
        }
        return length > 0 && !(onlyDots && length <= 2)
    }

    /// The path with every symlink resolved, or nil when it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink(path, &buffer, 4096)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func failure(_ path: String, _ operation: String, _ code: Int32) -> FilesystemError {
        switch code {
        case ENOENT: .notFound(path: path)
        case EISDIR: .isADirectory(path: path)
        case ENOTDIR: .notADirectory(path: path)
        case EEXIST: .alreadyExists(path: path)
        case ENAMETOOLONG: .pathTooLong(bytes: path.utf8.count, limit: maxPathBytes)
        default: .system(path: path, operation: operation, errno: code)
        }
    }
}

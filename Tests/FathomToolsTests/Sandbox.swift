import Foundation

/// A temporary tree with an allowed root and a sentinel file outside it that no test may read or change.
struct Sandbox {
    let base: String
    let root: String
    let outside: String
    static let secret = "SENTINEL-outside-the-root"

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-fs-\(UUID().uuidString)").path
        // Resolve /tmp symlinks up front so expected paths compare equal to real paths.
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        self.base = URL(fileURLWithPath: base).resolvingSymlinksInPath().path
        root = self.base + "/root"
        outside = self.base + "/outside"
        try FileManager.default.createDirectory(atPath: root + "/sub/deeper", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try write("outside/secret.txt", Self.secret)
        try write("root/hello.txt", "line1\nline2\nline3\nline4\n")
        try write("root/sub/notes.md", "# Notes\nneedle here\n")
        try write("root/sub/deeper/data.log", "x\n")
    }

    func write(_ relative: String, _ content: String) throws {
        try content.write(toFile: base + "/" + relative, atomically: false, encoding: .utf8)
    }

    func read(_ relative: String) -> String? {
        try? String(contentsOfFile: base + "/" + relative, encoding: .utf8)
    }

    func symlink(_ relative: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: base + "/" + relative, withDestinationPath: target)
    }
}

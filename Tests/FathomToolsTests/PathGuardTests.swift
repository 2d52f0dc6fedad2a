import FathomCore
import Foundation
import Testing

@testable import FathomTools

@Suite struct PathGuardTests {
    let sandbox: Sandbox
    let guardian: PathGuard

    init() throws {
        sandbox = try Sandbox()
        guardian = PathGuard(roots: [sandbox.root], deny: FathomConfig.FilesystemSettings().deny)
    }

    @Test(arguments: [
        "../outside/secret.txt", "sub/../../outside/secret.txt", "./../outside/secret.txt", "..//outside/secret.txt",
        "sub/deeper/../../../outside/secret.txt", "../outside/", "..", "../../../../../../../../etc/passwd",
    ])
    func dotDotSpellingsAreRefused(path: String) {
        do {
            _ = try guardian.resolve(path)
            Issue.record("\(path) was allowed")
        } catch let error as FilesystemError {
            #expect(error.description.contains("outside the allowed directories"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func absolutePathOutsideIsRefused() {
        #expect(throws: FilesystemError.outsideRoots(path: "/etc/passwd", roots: [sandbox.root])) {
            try guardian.resolve("/etc/passwd")
        }
        #expect(throws: FilesystemError.self) { try guardian.resolve(sandbox.outside + "/secret.txt") }
    }

    @Test func aRootPrefixIsNotARoot() throws {
        try FileManager.default.createDirectory(atPath: sandbox.root + "-evil", withIntermediateDirectories: true)
        #expect(throws: FilesystemError.self) { try guardian.resolve(sandbox.root + "-evil") }
    }

    @Test func percentEncodingIsTakenLiterally() {
        #expect(throws: FilesystemError.notFound(path: "%2e%2e/outside/secret.txt")) {
            try guardian.resolve("%2e%2e/outside/secret.txt")
        }
    }

    @Test func symlinkToOutsideIsRefusedForReadAndWrite() throws {
        try sandbox.symlink("root/escape.txt", to: sandbox.outside + "/secret.txt")
        try sandbox.symlink("root/escape-dir", to: sandbox.outside)
        #expect(throws: FilesystemError.self) { try guardian.resolve("escape.txt") }
        #expect(throws: FilesystemError.self) { try guardian.resolve("escape-dir/secret.txt") }
        #expect(throws: FilesystemError.self) { try guardian.resolve("escape-dir/new.txt", mustExist: false) }
        #expect(throws: FilesystemError.self) { try guardian.resolve("escape.txt", mustExist: false) }
        #expect(sandbox.read("outside/secret.txt") == Sandbox.secret)
    }

    @Test func danglingSymlinkToOutsideIsRefusedNotCreated() throws {
        try sandbox.symlink("root/dangling", to: sandbox.outside + "/created-by-attack.txt")
        #expect(throws: FilesystemError.self) { try guardian.resolve("dangling", mustExist: false) }
        #expect(!FileManager.default.fileExists(atPath: sandbox.outside + "/created-by-attack.txt"))
    }

    @Test func symlinkSwappedInAfterTheCheckIsCaughtOnOpen() throws {
        let checked = try guardian.resolve("hello.txt")
        try FileManager.default.removeItem(atPath: checked.path)
        try sandbox.symlink("root/hello.txt", to: sandbox.outside + "/secret.txt")
        #expect(throws: FilesystemError.self) { try guardian.read(checked, limit: 1024) }
    }

    @Test func metadataOfASwappedInSymlinkIsRefused() throws {
        let checked = try guardian.resolve("hello.txt")
        #expect(try guardian.info(checked).st_size == 24)
        try FileManager.default.removeItem(atPath: checked.path)
        try sandbox.symlink("root/hello.txt", to: sandbox.outside + "/secret.txt")
        #expect(throws: FilesystemError.self) { try guardian.info(checked) }
    }

    @Test func gitDirectoryItselfIsDeniedNotOnlyItsContents() throws {
        try FileManager.default.createDirectory(atPath: sandbox.root + "/.git", withIntermediateDirectories: true)
        #expect(throws: FilesystemError.self) { try guardian.resolveEntry(".git") }
        try sandbox.symlink("root/gitlink", to: sandbox.root + "/.git")
        #expect(throws: FilesystemError.self) { try guardian.resolve("gitlink") }
    }

    @Test func directorySwappedForSymlinkAfterTheCheckIsCaughtOnWrite() throws {
        let checked = try guardian.resolve("sub/new.txt", mustExist: false)
        try FileManager.default.moveItem(atPath: sandbox.root + "/sub", toPath: sandbox.root + "/sub-moved")
        try sandbox.symlink("root/sub", to: sandbox.outside)
        #expect(throws: FilesystemError.self) { try guardian.write(Data("attack".utf8), to: checked) }
        #expect(!FileManager.default.fileExists(atPath: sandbox.outside + "/new.txt"))
    }

    @Test func writeReplacesASymlinkInsteadOfFollowingIt() throws {
        try sandbox.write("root/target.txt", "original")
        try sandbox.symlink("root/link.txt", to: sandbox.root + "/target.txt")
        let checked = try guardian.resolve("link.txt", mustExist: false)
        try guardian.write(Data("new".utf8), to: checked)
        #expect(sandbox.read("root/target.txt") == "new")  // the link resolved inside the root, to its target
    }

    @Test func nulByteIsRefused() {
        #expect(throws: FilesystemError.nulByte) { try guardian.resolve("hello.txt\u{0}.png") }
    }

    @Test(arguments: [".env", "sub/.env.local", ".git/config", "keys/server.pem", "tls.key", ".ssh/id_rsa"])
    func denyGlobsRefuseSecretsFiles(path: String) throws {
        let full = sandbox.root + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "secret".write(toFile: full, atomically: false, encoding: .utf8)
        do {
            _ = try guardian.resolve(path)
            Issue.record("\(path) was allowed")
        } catch let error as FilesystemError {
            #expect(error.description.contains("denied by pattern"))
        }
    }

    @Test func symlinkToADeniedFileIsRefused() throws {
        try sandbox.write("root/.env", "DB_PASSWORD=x")
        try sandbox.symlink("root/innocent.txt", to: sandbox.root + "/.env")
        #expect(throws: FilesystemError.self) { try guardian.resolve("innocent.txt") }
    }

    @Test(arguments: ["．．/outside/secret.txt", "\u{2024}\u{2024}/outside/secret.txt", "..\u{2215}outside\u{2215}secret.txt"])
    func unicodeLookAlikesAreJustNames(path: String) {
        #expect(throws: FilesystemError.notFound(path: path)) { try guardian.resolve(path) }
    }

    @Test func veryLongNamesAreRefusedClearly() {
        let longName = String(repeating: "a", count: 300)
        #expect(throws: FilesystemError.nameTooLong(name: longName, limit: 255)) { try guardian.resolve(longName) }
        let longPath = Array(repeating: "abcd", count: 1200).joined(separator: "/")
        #expect(throws: FilesystemError.pathTooLong(bytes: longPath.utf8.count, limit: 4096)) { try guardian.resolve(longPath) }
    }

    @Test func relativePathsStartAtTheFirstRoot() throws {
        #expect(try guardian.resolve("sub/notes.md").path == sandbox.root + "/sub/notes.md")
        #expect(try guardian.resolve("sub/notes.md").relative == "sub/notes.md")
        #expect(try guardian.resolve(".").path == sandbox.root)
    }

    @Test func createDirectoryMakesParentsInsideOnly() throws {
        let made = try guardian.createDirectory("a/b/c")
        #expect(made.path == sandbox.root + "/a/b/c")
        #expect(throws: FilesystemError.self) { try guardian.createDirectory("../outside/x/y") }
        #expect(!FileManager.default.fileExists(atPath: sandbox.outside + "/x"))
    }

    @Test func aRootConfiguredThroughASymlinkAcceptsPathsSpelledEitherWay() throws {
        try sandbox.symlink("root-link", to: sandbox.root)
        let linked = PathGuard(roots: [sandbox.base + "/root-link"], deny: [])
        #expect(linked.roots == [sandbox.root])
        #expect(try linked.resolve(sandbox.base + "/root-link/hello.txt").path == sandbox.root + "/hello.txt")
        #expect(try linked.resolve(sandbox.root + "/hello.txt").path == sandbox.root + "/hello.txt")
        #expect(throws: FilesystemError.self) { try linked.resolve(sandbox.base + "/root-link/../outside/secret.txt") }
    }

    @Test func noRootsIsAClearError() {
        #expect(throws: FilesystemError.noRoots) { try PathGuard(roots: ["/does/not/exist"], deny: []).resolve("x") }
    }
}

@Suite struct PathFoldingTests {
    @Test(arguments: [
        ("/a/b", "/a/b"), ("/a//b", "/a/b"), ("/a/./b", "/a/b"), ("/a/../b", "/b"), ("/a/b/", "/a/b"), ("/", "/"),
        ("/..", "/"), ("/a/...", "/a/..."), ("/a/.hidden", "/a/.hidden"), ("/a/b/..", "/a"), ("/a/.", "/a"), ("//", "/"),
    ])
    func foldsDotsAndSlashes(input: String, expected: String) {
        #expect(PathGuard.fold(input) == expected)
    }
}

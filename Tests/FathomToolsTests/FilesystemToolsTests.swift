import FathomCore
import Foundation
import Synchronization
import Testing

@testable import FathomTools

@Suite struct FilesystemToolsTests {
    @Test func readTextFileWithHeadAndTail() async throws {
        let harness = try Harness()
        #expect(await harness.call("read_text_file", ["path": "hello.txt"]).text == "line1\nline2\nline3\nline4\n")
        #expect(await harness.call("read_text_file", ["path": "hello.txt", "head": 2]).text == "line1\nline2")
        #expect(await harness.call("read_text_file", ["path": "hello.txt", "tail": 2]).text == "line3\nline4")
        #expect(await harness.call("read_text_file", ["path": "hello.txt", "head": 1, "tail": 1]).isError)
    }

    @Test func largeReadsAreCutWithAMarker() async throws {
        let harness = try Harness(filesystem: { $0.maxReadBytes = 10 })
        let text = await harness.call("read_text_file", ["path": "hello.txt"]).text
        #expect(text.hasPrefix("line1\nline"))
        #expect(text.contains("[truncated: showed 10 of 24 bytes"))
    }

    @Test func truncationNeverSplitsACharacter() {
        let cut = TextLimit.truncate("aé€😀", toBytes: 5, hint: "h")
        #expect(cut.hasPrefix("aé\n[truncated"))
    }

    @Test func binaryFilesAreNotReadAsText() async throws {
        let harness = try Harness()
        try Data([0x89, 0x50, 0x00, 0x01]).write(to: URL(fileURLWithPath: harness.sandbox.root + "/blob.bin"))
        let result = await harness.call("read_text_file", ["path": "blob.bin"])
        #expect(result.isError)
        #expect(result.text.contains("binary"))
    }

    @Test func readMediaFileReturnsBase64() async throws {
        let harness = try Harness()
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: URL(fileURLWithPath: harness.sandbox.root + "/dot.png"))
        let result = await harness.call("read_media_file", ["path": "dot.png"])
        #expect(result.content == [.image(base64: "iVBORw==", mimeType: "image/png")])
        #expect(await harness.call("read_media_file", ["path": "hello.txt"]).isError)
    }

    @Test func readMultipleFilesReportsEachFailureInline() async throws {
        let text = await (try Harness()).call("read_multiple_files", ["paths": ["hello.txt", "missing.txt", "../outside/secret.txt"]]).text
        #expect(text.contains("hello.txt:\nline1"))
        #expect(text.contains("missing.txt: Error -"))
        #expect(text.contains("outside the allowed directories"))
        #expect(!text.contains(Sandbox.secret))
    }

    @Test func listDirectoryMarksKindsAndHidesDeniedEntries() async throws {
        let harness = try Harness()
        try harness.sandbox.write("root/.env", "SECRET=1")
        let text = await harness.call("list_directory", ["path": "."]).text
        #expect(text == "[FILE] hello.txt\n[DIR] sub")
        let sized = await harness.call("list_directory_with_sizes", ["path": ".", "sortBy": "size"]).text
        #expect(sized.contains("24 B"))
        #expect(sized.contains("Total: 1 files, 1 directories"))
    }

    @Test func directoryTreeIsJSON() async throws {
        let text = await (try Harness()).call("directory_tree", ["path": "sub"]).text
        let tree = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(tree.arrayValue?.count == 2)
        #expect(tree.arrayValue?.first?["name"] == "deeper")
        #expect(tree.arrayValue?.first?["children"]?.arrayValue?.first?["name"] == "data.log")
    }

    @Test func searchFilesByNameAndContent() async throws {
        let harness = try Harness()
        let root = harness.sandbox.root
        #expect(await harness.call("search_files", ["path": ".", "pattern": "*.md"]).text == root + "/sub/notes.md")
        #expect(await harness.call("search_files", ["path": ".", "pattern": "*", "content": "needle"]).text == root + "/sub/notes.md")
        #expect(await harness.call("search_files", ["path": ".", "pattern": "sub/**/*.log"]).text == root + "/sub/deeper/data.log")
        #expect(await harness.call("search_files", ["path": ".", "pattern": "*.zip"]).text == "No matches found")
        let limited = await harness.call("search_files", ["path": ".", "pattern": "*", "maxResults": 1]).text
        #expect(limited.contains("[truncated: showed the first 1 matches"))
    }

    @Test func searchReportsProgress() async throws {
        let harness = try Harness()
        for index in 0..<1200 { try harness.sandbox.write("root/sub/f\(index).txt", "") }
        let reports = Mutex<[Double]>([])
        let context = ToolContext(client: "t", progress: { done, _, _ in reports.withLock { $0.append(done) } })
        _ = await harness.call("search_files", ["path": ".", "pattern": "*.txt"], context: context)
        #expect(reports.withLock { $0.count } >= 2)
        #expect(reports.withLock { $0 == $0.sorted() })
    }

    @Test func listAllowedDirectoriesHasStructuredContent() async throws {
        let harness = try Harness()
        let result = await harness.call("list_allowed_directories", [:])
        #expect(result.text == "Allowed directories:\n" + harness.sandbox.root)
        #expect(result.structured == JSONValue.object(["directories": .array([.string(harness.sandbox.root)])]))
    }

    @Test func clientRootsNarrowButNeverWidenTheConfiguredRoots() async throws {
        let harness = try Harness()
        let outside = ToolContext(client: "t", clientRoots: [harness.sandbox.outside])
        let secret = JSONValue.string(harness.sandbox.outside + "/secret.txt")
        let refused = await harness.call("read_text_file", ["path": secret], context: outside)
        #expect(refused.isError && !refused.text.contains(Sandbox.secret))
        let narrowed = ToolContext(client: "t", clientRoots: [harness.sandbox.root + "/sub", harness.sandbox.outside])
        #expect(await harness.call("list_allowed_directories", [:], context: narrowed).text == "Allowed directories:\n" + harness.sandbox.root + "/sub")
        #expect(await harness.call("read_text_file", ["path": "hello.txt"], context: narrowed).isError)
        #expect(!(await harness.call("read_text_file", ["path": "notes.md"], context: narrowed)).isError)
    }

    @Test func writeEditMoveAndCreateWhenPolicyAllows() async throws {
        let harness = try Harness(policy: {
            $0.readOnly = false
            $0.allow = ["write_file", "edit_file"]
        })
        #expect(await harness.call("write_file", ["path": "new/x.txt", "content": "a"]).text.contains("parent directory"))
        #expect(!(await harness.call("create_directory", ["path": "new/deeper"])).isError)
        #expect(!(await harness.call("write_file", ["path": "new/x.txt", "content": "alpha\nbeta\n"])).isError)
        let dry = await harness.call("edit_file", ["path": "new/x.txt", "edits": [["oldText": "beta", "newText": "gamma"]], "dryRun": true])
        #expect(dry.text.contains("-beta\n+gamma"))
        #expect(harness.sandbox.read("root/new/x.txt") == "alpha\nbeta\n")
        let edited = await harness.call("edit_file", ["path": "new/x.txt", "edits": [["oldText": "beta", "newText": "gamma"]]])
        #expect(edited.text.contains("```diff"))
        #expect(harness.sandbox.read("root/new/x.txt") == "alpha\ngamma\n")
        #expect(await harness.call("edit_file", ["path": "new/x.txt", "edits": [["oldText": "zeta", "newText": "q"]]]).text.contains("was not found"))
        #expect(!(await harness.call("move_file", ["source": "new/x.txt", "destination": "new/y.txt"])).isError)
        #expect(await harness.call("move_file", ["source": "hello.txt", "destination": "new/y.txt"]).text.contains("already exists"))
        #expect(harness.sandbox.read("root/new/y.txt") == "alpha\ngamma\n")
    }

    @Test func editMatchesDespiteIndentation() throws {
        let text = "func a() {\n    let x = 1\n    return x\n}\n"
        var budget = EditFileTool.matchBudget
        let edited = try EditFileTool.replaceIgnoringIndentation(in: text, oldText: "let x = 1\nreturn x", newText: "let x = 2\nreturn x", budget: &budget)
        #expect(edited == "func a() {\n    let x = 2\n    return x\n}\n")
    }

    @Test func quadraticMatchingIsRefusedNotRun() {
        var budget = EditFileTool.matchBudget
        let text = String(repeating: "\n", count: 20_000)
        let oldText = String(repeating: "\n", count: 5_000) + "x"
        #expect(throws: FilesystemError.self) {
            try EditFileTool.replaceIgnoringIndentation(in: text, oldText: oldText, newText: "y", budget: &budget)
        }
    }

    @Test func editsKeepCRLFAndRefuseAmbiguousOrBinaryTargets() async throws {
        let harness = try Harness(policy: {
            $0.readOnly = false
            $0.allow = ["edit_file"]
        })
        try harness.sandbox.write("root/crlf.txt", "a\r\nb\r\nc\r\n")
        #expect(!(await harness.call("edit_file", ["path": "crlf.txt", "edits": [["oldText": "b", "newText": "B"]]])).isError)
        #expect(harness.sandbox.read("root/crlf.txt") == "a\r\nB\r\nc\r\n")
        try harness.sandbox.write("root/twice.txt", "x = 1\nx = 1\n")
        let ambiguous = await harness.call("edit_file", ["path": "twice.txt", "edits": [["oldText": "x = 1", "newText": "x = 2"]]])
        #expect(ambiguous.isError && ambiguous.text.contains("more than once"))
        #expect(harness.sandbox.read("root/twice.txt") == "x = 1\nx = 1\n")
        try Data([0x61, 0xFF, 0x62]).write(to: URL(fileURLWithPath: harness.sandbox.root + "/latin1.txt"))
        #expect(await harness.call("edit_file", ["path": "latin1.txt", "edits": [["oldText": "a", "newText": "b"]]]).isError)
    }

    @Test func diffOfALargeFileShowsOnlyTheEditedRegion() {
        let old = (0..<50_000).map { "line \($0)" }.joined(separator: "\n")
        let new = old.replacingOccurrences(of: "line 25000\n", with: "LINE 25000\n")
        let diff = UnifiedDiff.make(old: old, new: new, path: "/f")
        #expect(diff.contains("@@ -24998,7 +24998,7 @@"))
        #expect(diff.contains("-line 25000\n+LINE 25000"))
    }

    @Test func unifiedDiffHasHunkHeaders() {
        let diff = UnifiedDiff.make(old: "a\nb\nc\n", new: "a\nB\nc\n", path: "/f")
        #expect(diff == "--- /f\toriginal\n+++ /f\tmodified\n@@ -1,4 +1,4 @@\n a\n-b\n+B\n c\n \n")
        #expect(UnifiedDiff.make(old: "same", new: "same", path: "/f").isEmpty)
    }
}

@Suite struct LargeFileTests {
    @Test func tailReadsTheEndOfAFileLargerThanTheCap() async throws {
        let harness = try Harness(filesystem: { $0.maxReadBytes = 100 })
        let rows = (0..<500).map { "row \($0)" }.joined(separator: "\n") + "\n"
        try harness.sandbox.write("root/big.log", rows)
        #expect(await harness.call("read_text_file", ["path": "big.log", "tail": 2]).text == "row 498\nrow 499")
        let head = await harness.call("read_text_file", ["path": "big.log", "head": 1000]).text
        #expect(head.hasPrefix("row 0\nrow 1\n"))
        #expect(head.contains("[truncated: the first 1000 lines are longer than 100 bytes"))
    }

    @Test func cutReadsNeverEndInAReplacementCharacter() async throws {
        let harness = try Harness(filesystem: { $0.maxReadBytes = 101 })
        try harness.sandbox.write("root/accents.txt", String(repeating: "é", count: 1000))
        let text = await harness.call("read_text_file", ["path": "accents.txt"]).text
        #expect(!text.contains("\u{FFFD}"))
        #expect(text.contains("[truncated: showed 100 of 2000 bytes"))
    }
}

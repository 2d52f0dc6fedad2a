import FathomCore
import Foundation
import Testing

@Suite struct ConfigLoaderTests {
    /// A fresh folder with the given files, relative path → content.
    func home(_ files: [String: String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-config-\(UUID().uuidString)").path
        for (path, content) in files {
            let full = directory + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try content.write(toFile: full, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func embeddedDefaultsWhenNoFileExists() throws {
        let config = try ConfigLoader(environment: [:]).load(home: try home([:]))
        #expect(config.policy.readOnly)
        #expect(config.filesystem.roots == ["."])
        #expect(config.filesystem.deny.contains("**/.git/**"))
        #expect(config.sources.isEmpty)
    }

    @Test func readsMainFileAndToolsetFiles() throws {
        let dir = try home([
            "fathom.yaml": "state_dir: /var/lib/fathom\nmcp:\n  page_size: 5\npolicy:\n  read_only: false\n  allow: [write_file]\n  clients:\n    claude-*:\n      deny: [move_file]\n",
            "tools/filesystem.yaml": "roots:\n  - /srv\n  - logs\nmax_read_bytes: 2048\n",
        ])
        let config = try ConfigLoader(environment: [:]).load(home: dir)
        #expect(config.stateDirectory == "/var/lib/fathom")
        #expect(config.mcp.pageSize == 5)
        #expect(!config.policy.readOnly)
        #expect(config.policy.allow == ["write_file"])
        #expect(config.policy.clients.first?.client == "claude-*")
        #expect(config.policy.clients.first?.deny == ["move_file"])
        #expect(config.filesystem.roots == ["/srv", "logs"])
        #expect(config.filesystem.maxReadBytes == 2048)
        #expect(config.sources.count == 2)
    }

    @Test func environmentOverridesFiles() throws {
        let dir = try home(["fathom.yaml": "policy:\n  read_only: true\n"])
        let env = ["FATHOM_POLICY_READ_ONLY": "false", "FATHOM_FILESYSTEM_ROOTS": "/a, /b", "FATHOM_MCP_PAGE_SIZE": "7"]
        let config = try ConfigLoader(environment: env).load(home: dir)
        #expect(!config.policy.readOnly)
        #expect(config.filesystem.roots == ["/a", "/b"])
        #expect(config.mcp.pageSize == 7)
    }

    @Test func unknownKeyNamesFileLineAndTheKnownKeys() throws {
        let dir = try home(["tools/filesystem.yaml": "roots: [/srv]\nrots: [/tmp]\n"])
        let error = #expect(throws: ConfigError.self) { try ConfigLoader(environment: [:]).load(home: dir) }
        let text = error?.description ?? ""
        #expect(text.contains("tools/filesystem.yaml:2:"))
        #expect(text.contains("unknown key 'rots'"))
        #expect(text.contains("roots"))
    }

    @Test func wrongTypeSaysWhatIsExpected() throws {
        let dir = try home(["fathom.yaml": "mcp:\n  page_size: lots\n"])
        let error = #expect(throws: ConfigError.self) { try ConfigLoader(environment: [:]).load(home: dir) }
        #expect(error?.description.contains("fathom.yaml:2:") == true)
        #expect(error?.description.contains("'mcp.page_size' must be a whole number from 1 to 10000, got 'lots'") == true)
    }

    @Test func badEnvironmentValueNamesTheVariable() throws {
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader(environment: ["FATHOM_POLICY_READ_ONLY": "maybe"]).load(home: try home([:]))
        }
        #expect(error?.description.contains("$FATHOM_POLICY_READ_ONLY") == true)
        #expect(error?.description.contains("true or false") == true)
    }

    @Test func syntaxErrorsCarryTheLine() throws {
        let dir = try home(["fathom.yaml": "mcp:\n  page_size: 5\n   bad: [unclosed\n"])
        let error = #expect(throws: ConfigError.self) { try ConfigLoader(environment: [:]).load(home: dir) }
        #expect(error?.code == "syntax")
        #expect(error?.description.contains("fathom.yaml:") == true)
    }

    @Test func truncatedFileIsASyntaxError() throws {
        let dir = try home(["fathom.yaml": "policy:\n  allow: [\"write_fi"])
        #expect(throws: ConfigError.self) { try ConfigLoader(environment: [:]).load(home: dir) }
    }

    @Test func oversizedFileIsRefusedBeforeParsing() throws {
        let dir = try home(["fathom.yaml": "# " + String(repeating: "x", count: ConfigLoader.maxFileBytes) + "\n"])
        let error = #expect(throws: ConfigError.self) { try ConfigLoader(environment: [:]).load(home: dir) }
        #expect(error?.code == "too_large")
    }

    @Test func aliasBombIsRejectedWithoutExpanding() throws {
        // Each level holds nine of the previous one: walking it naively would visit 9^12 nodes.
        var levels = ["&l0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1..<12 {
            levels.append("&l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        let dir = try home(["tools/filesystem.yaml": "deny: [" + levels.joined(separator: ", ") + "]\n"])
        let error = #expect(throws: ConfigError.self) { try ConfigLoader(environment: [:]).load(home: dir) }
        #expect(error?.code == "invalid_value")
        #expect(error?.description.contains("filesystem.deny") == true)
    }

    @Test func aSectionInTwoFilesIsAnError() throws {
        let dir = try home(["fathom.yaml": "filesystem:\n  roots: [/a]\n", "tools/filesystem.yaml": "roots: [/b]\n"])
        let error = #expect(throws: ConfigError.self) { try ConfigLoader(environment: [:]).load(home: dir) }
        #expect(error?.code == "duplicate_section")
    }

    @Test func nonMappingTopLevelIsAnError() throws {
        let dir = try home(["fathom.yaml": "- just\n- a list\n"])
        #expect(throws: ConfigError.self) { try ConfigLoader(environment: [:]).load(home: dir) }
    }
}

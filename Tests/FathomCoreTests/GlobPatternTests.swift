import FathomCore
import Testing

@Suite struct GlobPatternTests {
    @Test(arguments: [
        (".env*", "app/.env.production", true),
        (".env*", "environment.txt", false),
        ("**/.git/**", ".git/config", true),
        ("**/.git/**", "repo/.git/objects/ab", true),
        ("**/.git/**", "repo/.github/workflows", false),
        ("*.pem", "certs/server.pem", true),
        ("*.key", "a/b/tls.key", true),
        ("*.key", "keys.txt", false),
        ("id_*", "home/.ssh/id_ed25519", true),
        ("logs/*.log", "logs/app.log", true),
        ("logs/*.log", "logs/old/app.log", false),
        ("logs/**/*.log", "logs/old/app.log", true),
        ("file-[0-9].txt", "file-7.txt", true),
        ("file-[!0-9].txt", "file-7.txt", false),
        ("?.txt", "a.txt", true),
    ])
    func matchesPaths(pattern: String, path: String, expected: Bool) {
        #expect(GlobPattern(pattern).matches(path: path) == expected)
    }

    @Test func toolNameGlobs() {
        #expect(GlobPattern("read_*").matches(name: "read_text_file"))
        #expect(!GlobPattern("read_*").matches(name: "write_file"))
    }

    @Test func pathologicalPatternsFinish() {
        let subject = String(repeating: "a", count: 200)
        #expect(!GlobPattern("*a*a*a*a*a*a*a*a*a*a*b").matches(name: subject))
        #expect(!GlobPattern("**a**a**a**a**a**a**b").matches(path: subject))
    }
}

import FathomCore
import Testing

@testable import FathomTools

@Suite struct PolicyTests {
    let access = FilesystemAccess(settings: .init(), home: "/tmp")
    var read: ToolDescriptor { ToolDescriptor(ReadTextFileTool.self) }
    var write: ToolDescriptor { ToolDescriptor(WriteFileTool.self) }
    var mkdir: ToolDescriptor { ToolDescriptor(CreateDirectoryTool.self) }

    func policy(_ edit: (inout FathomConfig.PolicySettings) -> Void = { _ in }) -> Policy {
        var settings = FathomConfig.PolicySettings()
        edit(&settings)
        return Policy(settings)
    }

    @Test func readOnlyByDefault() {
        #expect(policy().check(client: "c", agent: nil, tool: read, arguments: nil) == .allow)
        guard case .deny(let reason) = policy().check(client: "c", agent: nil, tool: mkdir, arguments: nil) else {
            Issue.record("create_directory was allowed in read-only mode")
            return
        }
        #expect(reason.contains("read-only"))
        #expect(reason.contains("FATHOM_POLICY_READ_ONLY=false"))
    }

    @Test func writesNeedReadOnlyOffAndDestructiveOnesAnExplicitAllow() {
        let open = policy { $0.readOnly = false }
        #expect(open.check(client: "c", agent: nil, tool: mkdir, arguments: nil) == .allow)
        guard case .deny(let reason) = open.check(client: "c", agent: nil, tool: write, arguments: nil) else {
            Issue.record("a destructive tool ran without an allow")
            return
        }
        #expect(reason.contains("destructive"))
        let allowed = policy {
            $0.readOnly = false
            $0.allow = ["write_*"]
        }
        #expect(allowed.check(client: "c", agent: nil, tool: write, arguments: nil) == .allow)
    }

    @Test func denyWinsOverAllowAndCoversToolsets() {
        let settings = policy {
            $0.readOnly = false
            $0.allow = ["write_file"]
            $0.deny = ["toolset:filesystem"]
        }
        #expect(settings.check(client: "c", agent: nil, tool: write, arguments: nil) != .allow)
        #expect(settings.check(client: "c", agent: nil, tool: read, arguments: nil) != .allow)
    }

    @Test func clientRulesApplyOnlyToMatchingClients() {
        var rule = FathomConfig.ClientRule(client: "claude-*")
        rule.deny = ["read_text_file"]
        var writer = FathomConfig.ClientRule(client: "ops-bot")
        writer.readOnly = false
        writer.allow = ["write_file"]
        let settings = policy { $0.clients = [rule, writer] }
        #expect(settings.check(client: "claude-desktop", agent: nil, tool: read, arguments: nil) != .allow)
        #expect(settings.check(client: "vscode", agent: nil, tool: read, arguments: nil) == .allow)
        #expect(settings.check(client: "ops-bot", agent: nil, tool: write, arguments: nil) == .allow)
        #expect(settings.check(client: "vscode", agent: nil, tool: write, arguments: nil) != .allow)
    }
}

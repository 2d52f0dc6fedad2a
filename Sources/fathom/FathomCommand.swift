import ArgumentParser
import FathomCore

@main
struct FathomCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "fathom",
        abstract: "An MCP agent runtime for operations teams.",
        discussion: "Configuration: fathom.yaml, tools/*.yaml and FATHOM_* environment variables; see README.md.",
        version: version,
        subcommands: [MCPCommand.self, ServeCommand.self, ToolsCommand.self, DoctorCommand.self, AuditCommand.self])
}

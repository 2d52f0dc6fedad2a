import ArgumentParser
import FathomCore
import FathomServer

@main
enum FathomMain {
    /// Runs on the main thread before anything else, which is where NIO's executor take-over must happen.
    static func main() async {
        let command = CommandLine.arguments.dropFirst().first
        FathomHTTPServer.configureEventLoops(takeOverExecutor: command == "serve" || command == "mcp")
        await FathomCommand.main()
    }
}

struct FathomCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "fathom",
        abstract: "An MCP agent runtime for operations teams.",
        discussion: "Configuration: fathom.yaml, tools/*.yaml and FATHOM_* environment variables; see README.md.",
        version: version,
        subcommands: [
            MCPCommand.self, ServeCommand.self, AskCommand.self, AgentsCommand.self, RunsCommand.self, ToolsCommand.self, DoctorCommand.self,
            AuditCommand.self,
        ])
}

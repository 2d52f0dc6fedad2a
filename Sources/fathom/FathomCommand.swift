import ArgumentParser
import FathomCore
import NIOCore
import NIOPosix

@main
enum FathomMain {
    /// Runs on the main thread before anything else, which is where NIO's executor take-over must happen.
    static func main() async {
        if CommandLine.arguments.dropFirst().first == "serve" {
            // One event-loop thread that also is Swift's global executor: a request, its tool call and
            // its reply never change threads. On these VMs a cross-CPU wake-up costs 70-100 µs, several
            // times what a whole request costs on one thread. More CPUs are used by running replicas.
            NIOSingletons.groupLoopCountSuggestion = 1
            _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
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
        subcommands: [MCPCommand.self, ServeCommand.self, ToolsCommand.self, DoctorCommand.self, AuditCommand.self])
}

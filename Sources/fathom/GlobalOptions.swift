import ArgumentParser
import Logging

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Config file (default: ./fathom.yaml if present, or $FATHOM_CONFIG).")
    var config: String?

    @Option(name: .long, help: "An allowed directory for the filesystem tools; repeat for more. Replaces filesystem.roots.")
    var root: [String] = []

    @Option(name: .long, help: "Log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

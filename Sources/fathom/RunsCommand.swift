import ArgumentParser
import FathomAgents
import FathomCore
import FathomStore
import Foundation

struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "Show stored agent runs: each step, tool call and model call, with tokens and timings.",
        subcommands: [List.self, Show.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The newest runs first.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "How many runs.") var limit = 20
        @Option(help: "Only runs of this agent.") var agent: String?

        func run() async throws {
            let runtime = try await Runtime(options: options, connectingExternal: false)
            for run in try await runtime.store.recentRuns(limit: limit, agent: agent) {
                let mode = run.mode.map { " \($0)" } ?? ""
                print("\(run.id) \(run.startedAt.formatted(.iso8601)) \(run.agent) \(run.status.rawValue)\(mode) \(run.promptTokens + run.completionTokens) tokens — \(run.question.prefix(80))")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One run with every step.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The run's id, as `fathom ask` and `fathom runs` print it.") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await Runtime(options: options, connectingExternal: false)
            guard let (run, steps) = try await runtime.store.run(id: id) else {
                throw ValidationError("No run has the id '\(id.prefix(80))'. `fathom runs` lists the newest.")
            }
            print(json ? RunReport.json(run, steps: steps).encodedString() : RunReport.text(run, steps: steps))
        }
    }
}

struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents", abstract: "List the agents under agents/ and the configured models.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let runtime = try await Runtime(options: options, connectingExternal: false)
        let outcome = await runtime.registry.call("list_agents", arguments: nil, context: .init(client: "cli"))
        if case .result(let result) = outcome { print(result.text) }
    }
}

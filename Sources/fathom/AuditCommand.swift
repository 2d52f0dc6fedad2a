import ArgumentParser
import FathomStore
import Foundation

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Show the newest audit rows: one per tool call.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "How many rows.") var limit = 20
    @Option(help: "Only calls of this tool.") var tool: String?

    func run() async throws {
        let runtime = try await Runtime(options: options, connectingExternal: false)
        for record in try await runtime.store.recentAudit(limit: limit, tool: tool) {
            let error = record.error.map { " — \($0.prefix(120))" } ?? ""
            print("\(record.at.formatted(.iso8601)) \(record.client) \(record.tool) \(record.outcome.rawValue) \(record.durationMicroseconds)us \(record.arguments.prefix(200))\(error)")
        }
    }
}

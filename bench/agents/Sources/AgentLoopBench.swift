import FathomAgents
import FathomCore
import FathomLLM
import FathomStore
import FathomTools
import Foundation
import Synchronization

/// The agent loop's own cost per step, with a model that answers instantly: `fathom ask`'s ReAct loop over N tool calls
/// (each a real filesystem tool through the registry, each step journaled to a real SQLite store), against the same N
/// tool calls made straight through the registry. The difference, divided by N, is what the loop adds per step.
@main
enum AgentLoopBench {
    static func main() async throws {
        let arguments = CommandLine.arguments
        func option(_ name: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? fallback
        }
        let steps = option("--steps", 20)
        let runs = option("--runs", 200)
        let warmup = option("--warmup", 20)

        let home = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-agent-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        for index in 0..<steps {
            try "line \(index): checkout restarted, OOMKilled\n".write(toFile: home + "/f\(index).txt", atomically: true, encoding: .utf8)
        }
        var files = FathomConfig.FilesystemSettings()
        files.roots = [home]
        let registry = ToolRegistry(tools: FilesystemToolset.tools(FilesystemAccess(settings: files, home: home)), policy: Policy(.init()), audit: nil)
        var agent = AgentSpec(name: "bench", kind: .execution, description: "Reads files.", persona: "You read files.")
        agent.tools = ["read_text_file"]
        agent.budgets.steps = steps + 1
        agent.budgets.tokens = 10_000_000
        let model = InstantModel(files: (0..<steps).map { home + "/f\($0).txt" })
        let engine = AgentEngine(
            agents: [agent], registry: registry,
            router: ModelRouter(models: [model], retries: 0, breakerFailures: 1000, breakerCooldown: .seconds(1)),
            store: try SQLiteStore(directory: home + "/.fathom"), home: home)

        var loop: [Double] = []
        var direct: [Double] = []
        for round in 0..<(warmup + runs) {
            model.reset()
            let start = ContinuousClock.now
            let answer = try await engine.ask("Read every file.", client: "bench")
            let elapsed = ContinuousClock.now - start
            guard answer.toolCalls == steps, case .llm = answer.mode else {
                print("{\"error\": \"the run did not take \(steps) tool calls: \(answer.footer)\"}")
                exit(1)
            }
            let floorStart = ContinuousClock.now
            for index in 0..<steps {
                let outcome = await registry.call(
                    "read_text_file", arguments: ["path": .string(home + "/f\(index).txt")], context: ToolContext(client: "bench"))
                guard case .result(let result) = outcome, !result.isError else { exit(1) }
            }
            let floor = ContinuousClock.now - floorStart
            if round >= warmup {
                loop.append(microseconds(elapsed))
                direct.append(microseconds(floor))
            }
        }
        let perStep = zip(loop, direct).map { ($0 - $1) / Double(steps + 1) }
        print(
            JSONValue.object([
                "steps": .int(steps), "runs": .int(runs),
                "run_us_median": .double(median(loop)), "tools_direct_us_median": .double(median(direct)),
                "overhead_per_step_us_median": .double(median(perStep)), "overhead_per_step_us_p90": .double(percentile(perStep, 0.9)),
            ]).encodedString())
    }

    static func microseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }

    static func median(_ values: [Double]) -> Double { percentile(values, 0.5) }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
    }
}

/// A model that answers at once: a call of read_text_file for each file in turn, then a final answer.
final class InstantModel: ChatModel {
    let name = "instant"
    let nativeTools = true
    private let files: [String]
    private let turn = Mutex(0)

    init(files: [String]) {
        self.files = files
    }

    func reset() { turn.withLock { $0 = 0 } }

    func complete(_ request: ChatRequest, onToken: (@Sendable (String) -> Void)?) async throws -> ChatReply {
        let index = turn.withLock { turn in
            defer { turn += 1 }
            return turn
        }
        let usage = TokenUsage(promptTokens: 100, completionTokens: 10)
        guard index < files.count else { return ChatReply(content: "All files read.", usage: usage, model: name) }
        let arguments = JSONValue.object(["path": .string(files[index])]).encodedString()
        return ChatReply(
            content: "", toolCalls: [ToolCall(id: "c\(index)", name: "read_text_file", rawArguments: arguments)], finishReason: "tool_calls",
            usage: usage, model: name)
    }

    func contextWindow() async -> Int? { 32_768 }
    func check() async throws -> String { "instant" }
}

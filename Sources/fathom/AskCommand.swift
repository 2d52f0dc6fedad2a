import ArgumentParser
import FathomAgents
import FathomCore
import FathomTools
import Foundation
import Synchronization

struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask", abstract: "Ask an agent a question; the answer streams as the model writes it.",
        discussion: """
            Without a model configured (llm.url or FATHOM_LLM_URL), the agent answers on its deterministic path and says \
            `mode: fallback`. Steps go to stderr; the answer to stdout. A destructive tool call is put to you when stdin \
            is a terminal, and refused otherwise.
            """)
    @OptionGroup var options: GlobalOptions
    @Option(help: "The agent to ask (see `fathom agents`); default: the orchestrator.") var agent: String?
    @Flag(help: "Print the answer as one JSON object at the end instead of streaming text.") var json = false
    @Flag(name: [.short, .long], help: "Do not print steps to stderr.") var quiet = false
    @Argument(help: "The question.") var question: [String]

    func run() async throws {
        let runtime = try await Runtime(options: options)
        let streamed = StreamedOutput()
        let onToken: (@Sendable (String) -> Void)? = json ? nil : streamed.write
        let quiet = quiet
        let onStep: @Sendable (String) async -> Void = { line in
            if !quiet { FileHandle.standardError.write(Data("· \(line)\n".utf8)) }
        }
        let approve: (@Sendable (String) async -> ToolContext.Approval)? = isatty(0) == 1 ? Self.askOnTerminal : nil
        let events = AgentEvents(onToken: onToken, onStep: onStep, approve: approve)
        let answer: AgentAnswer
        do {
            answer = try await runtime.agents.ask(question.joined(separator: " "), agent: agent, client: "cli", events: events)
        } catch let error as AgentError {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode(64)  // EX_USAGE
        }
        await runtime.audit.flush()
        if json {
            var object: [String: JSONValue] = [
                "run_id": .string(answer.runID), "agent": .string(answer.agent), "mode": .string(answer.mode.name),
                "answer": .string(answer.text), "tool_calls": .int(answer.toolCalls),
                "prompt_tokens": .int(answer.usage.promptTokens), "completion_tokens": .int(answer.usage.completionTokens),
            ]
            switch answer.mode {
            case .llm(let model): object["model"] = .string(model)
            case .fallback(let why): object["why"] = .string(why)
            }
            print(JSONValue.object(object).encodedString())
            return
        }
        let shown = streamed.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if shown.isEmpty {
            print(answer.rendered)
        } else if case .llm = answer.mode, answer.text.hasPrefix(shown) {
            // The answer is on screen up to what the agent added after the model (sources, the webhook's outcome).
            print(String(answer.text.dropFirst(shown.count)) + "\n\n" + answer.footer)
        } else if case .fallback = answer.mode {
            print("\n\n[the model did not finish; the deterministic path answers]\n\n" + answer.rendered)
        } else {
            print("\n\n" + answer.rendered)
        }
    }

    /// A y/N question on the terminal, for destructive calls.
    @Sendable static func askOnTerminal(_ message: String) async -> ToolContext.Approval {
        FileHandle.standardError.write(Data("\n\(message) [y/N] ".utf8))
        let reply = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
        return reply == "y" || reply == "yes" ? .approved : .declined("the user declined")
    }
}

/// Tokens written to stdout as they arrive, and kept to know what is on screen.
final class StreamedOutput: Sendable {
    private let shown = Mutex("")

    func write(_ token: String) {
        shown.withLock { $0 += token }
        FileHandle.standardOutput.write(Data(token.utf8))
    }

    var text: String { shown.withLock { $0 } }
}

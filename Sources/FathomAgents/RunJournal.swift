import FathomCore
import FathomLLM
import FathomStore
import FathomTools
import Foundation
import Logging

/// Writes a run to the store as it happens: the run when it starts, each step when it ends, the outcome last.
/// Everything is redacted and bounded first. A store that fails is logged; the run goes on.
actor RunJournal {
    /// A step's input or output is cut to this before it is stored.
    static let maxStoredText = 16 * 1024

    private(set) var record: RunRecord
    private let store: (any Store)?
    private let redactor: Redactor
    private let logger = Logger(label: "fathom.runs")
    private var sequence = 0
    private(set) var usage = TokenUsage()
    private(set) var toolCalls = 0

    init(record: RunRecord, store: (any Store)?, redactor: Redactor) async {
        self.store = store
        self.redactor = redactor
        var record = record
        record.question = Self.bounded(redactor.redact(record.question))
        self.record = record
        let started = record
        await write { try await $0.beginRun(started) }
    }

    var id: String { record.id }

    func step(
        _ kind: RunStep.Kind, name: String, input: String, output: String, outcome: String, usage: TokenUsage = TokenUsage(),
        started: ContinuousClock.Instant
    ) async {
        sequence += 1
        if kind == .tool { toolCalls += 1 }
        self.usage += usage
        var step = RunStep(
            sequence: sequence, kind: kind, name: name, input: Self.bounded(redactor.redact(input)),
            output: Self.bounded(redactor.redact(output)), outcome: outcome,
            durationMicroseconds: Self.microseconds(ContinuousClock.now - started), at: Date())
        step.promptTokens = usage.promptTokens
        step.completionTokens = usage.completionTokens
        let (finished, run) = (step, record.id)
        await write { try await $0.appendRunStep(finished, run: run) }
    }

    /// Records the outcome and returns the answer as the caller sees it.
    func finish(agent: String, mode: AgentAnswer.Mode, text: String) async -> AgentAnswer {
        let answer = redactor.redact(text)
        record.answeredBy = agent
        record.status = .done
        record.mode = mode.name
        if case .fallback(let why) = mode { record.why = redactor.redact(why) }
        if case .llm(let model) = mode { record.model = model }
        record.answer = Self.bounded(answer, limit: 256 * 1024)
        record.promptTokens = usage.promptTokens
        record.completionTokens = usage.completionTokens
        record.finishedAt = Date()
        let finished = record
        await write { try await $0.finishRun(finished) }
        return AgentAnswer(runID: record.id, agent: agent, mode: mode, text: answer, usage: usage, toolCalls: toolCalls)
    }

    private func write(_ operation: @Sendable (any Store) async throws -> Void) async {
        guard let store else { return }
        do {
            try await operation(store)
        } catch {
            logger.error("run \(record.id) could not be stored", metadata: ["error": "\(error)"])
        }
    }

    static func bounded(_ text: String, limit: Int = maxStoredText) -> String {
        TextLimit.clip(text, maxBytes: limit)
    }

    static func microseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
    }
}

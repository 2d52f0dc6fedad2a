import FathomCore
import FathomStore
import Foundation

/// A stored run as text and as JSON, for `fathom runs show` and the `fathom://runs/{id}` resource.
public enum RunReport {
    public static func text(_ run: RunRecord, steps: [RunStep]) -> String {
        var lines = [
            "run \(run.id): agent \(run.agent) (\(run.kind))"
                + (run.answeredBy.map { $0 == run.agent ? "" : ", answered by \($0)" } ?? "") + ", asked by \(run.client), \(run.status.rawValue)"
                + (run.mode.map { ", mode: \($0)" } ?? "") + (run.why.map { " (\($0))" } ?? "") + (run.model.map { ", model \($0)" } ?? ""),
            "started \(run.startedAt.formatted(.iso8601))" + (run.finishedAt.map { ", took \(milliseconds($0.timeIntervalSince(run.startedAt))) ms" } ?? ""),
            "tokens: \(run.promptTokens) prompt + \(run.completionTokens) completion",
            "question: \(run.question)",
            "",
        ]
        for step in steps {
            var line = "\(step.sequence). \(step.kind.rawValue) \(step.name) \(step.outcome) in \(step.durationMicroseconds / 1000) ms"
            if step.promptTokens + step.completionTokens > 0 { line += ", \(step.promptTokens)+\(step.completionTokens) tokens" }
            lines.append(line)
            if !step.input.isEmpty { lines.append("   in:  " + indent(String(step.input.prefix(600)))) }
            if !step.output.isEmpty { lines.append("   out: " + indent(String(step.output.prefix(1200)))) }
        }
        if let answer = run.answer { lines += ["", "answer:", answer] }
        return lines.joined(separator: "\n")
    }

    public static func json(_ run: RunRecord, steps: [RunStep]) -> JSONValue {
        [
            "id": .string(run.id), "agent": .string(run.agent), "answered_by": run.answeredBy.map(JSONValue.string) ?? .null, "kind": .string(run.kind), "client": .string(run.client),
            "question": .string(run.question), "status": .string(run.status.rawValue), "mode": run.mode.map(JSONValue.string) ?? .null,
            "why": run.why.map(JSONValue.string) ?? .null, "model": run.model.map(JSONValue.string) ?? .null,
            "answer": run.answer.map(JSONValue.string) ?? .null, "prompt_tokens": .int(run.promptTokens),
            "completion_tokens": .int(run.completionTokens), "started_at": .string(run.startedAt.formatted(.iso8601)),
            "finished_at": run.finishedAt.map { .string($0.formatted(.iso8601)) } ?? .null,
            "steps": .array(steps.map { step in
                [
                    "seq": .int(step.sequence), "kind": .string(step.kind.rawValue), "name": .string(step.name), "input": .string(step.input),
                    "output": .string(step.output), "outcome": .string(step.outcome), "prompt_tokens": .int(step.promptTokens),
                    "completion_tokens": .int(step.completionTokens), "duration_us": .int(Int(step.durationMicroseconds)),
                ]
            }),
        ]
    }

    private static func indent(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: "\n        ") }
    private static func milliseconds(_ seconds: TimeInterval) -> Int { Int((seconds * 1000).rounded()) }
}

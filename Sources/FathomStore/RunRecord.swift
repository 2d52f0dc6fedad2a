import Foundation

/// One agent run, as the runs table keeps it. Every text in it is redacted before it is stored.
public struct RunRecord: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Started and not finished: after a crash, a run stays `running` with the steps it had done.
        case running, done, failed
    }

    public var id: String
    /// The agent asked.
    public var agent: String
    public var kind: String
    /// The agent that answered, after routing.
    public var answeredBy: String?
    public var client: String
    public var question: String
    public var status: Status = .running
    /// `llm` or `fallback`.
    public var mode: String?
    /// Why the deterministic path answered.
    public var why: String?
    /// The configured model that answered, when one did.
    public var model: String?
    public var answer: String?
    public var promptTokens = 0
    public var completionTokens = 0
    public var startedAt: Date
    public var finishedAt: Date?

    public init(id: String, agent: String, kind: String, client: String, question: String, startedAt: Date) {
        self.id = id
        self.agent = agent
        self.kind = kind
        self.client = client
        self.question = question
        self.startedAt = startedAt
    }
}

/// One step of a run: a model call, a tool call, a routing decision or a note.
public struct RunStep: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case llm, tool, route, note
    }

    public var sequence: Int
    public var kind: Kind
    /// The model or tool name.
    public var name: String
    /// What went in (tool arguments; for a model call, the last message sent), redacted and bounded.
    public var input: String
    /// What came out, redacted and bounded.
    public var output: String
    /// `ok`, `error`, `denied`, …
    public var outcome: String
    public var promptTokens = 0
    public var completionTokens = 0
    public var durationMicroseconds: Int64
    public var at: Date

    public init(
        sequence: Int, kind: Kind, name: String, input: String, output: String, outcome: String, durationMicroseconds: Int64, at: Date
    ) {
        self.sequence = sequence
        self.kind = kind
        self.name = name
        self.input = input
        self.output = output
        self.outcome = outcome
        self.durationMicroseconds = durationMicroseconds
        self.at = at
    }
}

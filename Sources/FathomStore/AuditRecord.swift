import Foundation

/// One tool call, as the audit table keeps it.
public struct AuditRecord: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable {
        case ok, error, denied, cancelled, invalid
    }

    public var id: Int64?
    public var at: Date
    /// The MCP client name, token identity, or `cli`.
    public var client: String
    /// The agent that made the call, when one did.
    public var agent: String?
    public var tool: String
    /// The arguments as JSON, redacted; ``AuditLog`` fills this in from the call's arguments.
    public var arguments: String
    public var outcome: Outcome
    /// The error message for a failed, denied or invalid call, redacted.
    public var error: String?
    public var durationMicroseconds: Int64

    public init(
        at: Date, client: String, agent: String?, tool: String, arguments: String, outcome: Outcome,
        error: String?, durationMicroseconds: Int64
    ) {
        self.at = at
        self.client = client
        self.agent = agent
        self.tool = tool
        self.arguments = arguments
        self.outcome = outcome
        self.error = error
        self.durationMicroseconds = durationMicroseconds
    }
}

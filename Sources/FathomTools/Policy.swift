import FathomCore

/// The one gate every tool call passes, from an MCP client, the CLI or an agent.
///
/// Order: deny rules (global, then the client's) win; read-only tools are allowed; writes need
/// read-only mode off; destructive writes also need an explicit allow.
public struct Policy: Sendable {
    public enum Decision: Sendable, Equatable {
        case allow
        case deny(String)
    }

    private let settings: FathomConfig.PolicySettings
    /// Every rule's glob, compiled once: the check runs on every call.
    private let compiled: [String: GlobPattern]

    public init(_ settings: FathomConfig.PolicySettings) {
        self.settings = settings
        let rules = settings.allow + settings.deny + settings.clients.flatMap { [$0.client] + $0.allow + $0.deny }
        var compiled: [String: GlobPattern] = [:]
        for rule in rules {
            compiled[rule] = GlobPattern(rule.hasPrefix("toolset:") ? String(rule.dropFirst(8)) : rule)
        }
        self.compiled = compiled
    }

    /// Decides whether `client` (and `agent`, when an agent makes the call) may run `tool` with `arguments`.
    public func check(client: String, agent: String?, tool: ToolDescriptor, arguments: JSONValue?) -> Decision {
        let rules = settings.clients.filter { pattern($0.client).matches(name: client) }
        if let rule = settings.deny.first(where: { matches($0, tool) }) {
            return .deny("\(tool.name) is not allowed: policy.deny has '\(rule)'.")
        }
        for clientRule in rules {
            if let rule = clientRule.deny.first(where: { matches($0, tool) }) {
                return .deny("\(tool.name) is not allowed for client '\(client)': policy.clients.\(clientRule.client).deny has '\(rule)'.")
            }
        }
        if tool.annotations.isReadOnly { return .allow }
        let readOnly = rules.compactMap(\.readOnly).last ?? settings.readOnly
        if readOnly {
            return .deny(
                "\(tool.name) is not allowed: Fathom is read-only. Set policy.read_only: false (FATHOM_POLICY_READ_ONLY=false) to allow writes"
                    + (tool.annotations.isDestructive ? ", and add \(tool.name) to policy.allow because it is destructive." : "."))
        }
        if tool.annotations.isDestructive {
            let allowed = settings.allow.contains { matches($0, tool) }
                || rules.contains { $0.allow.contains { matches($0, tool) } }
            if !allowed {
                return .deny("\(tool.name) is not allowed: it is destructive and needs an explicit entry in policy.allow (FATHOM_POLICY_ALLOW).")
            }
        }
        return .allow
    }

    private func pattern(_ rule: String) -> GlobPattern {
        compiled[rule] ?? GlobPattern(rule)
    }

    /// A rule is a tool-name glob, or `toolset:NAME`.
    private func matches(_ rule: String, _ tool: ToolDescriptor) -> Bool {
        rule.hasPrefix("toolset:") ? pattern(rule).matches(name: tool.toolset) : pattern(rule).matches(name: tool.name)
    }
}

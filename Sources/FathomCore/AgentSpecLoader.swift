import Foundation
import Yams

/// Reads every `agents/*.yaml` and the persona prompts they name from `prompts/`.
///
/// ```yaml
/// name: cluster-doctor
/// kind: execution                # orchestration | knowledge | execution | integration
/// description: Finds what is wrong in a cluster and why.
/// prompt: cluster-doctor         # prompts/cluster-doctor.md
/// model: [local, hosted]         # preference; the llm.fallback chain follows
/// tools: ["cluster_*", "pods_*", "events_list"]
/// budgets: {steps: 8, tokens: 32000, seconds: 120}
/// approval: ask                  # ask (MCP elicitation) | deny (headless)
/// schedule: "*/30 * * * *"
/// playbook:                      # the deterministic path
///   - tool: cluster_health
/// ```
public struct AgentSpecLoader: Sendable {
    public let home: String

    public init(home: String) {
        self.home = home
    }

    static let fields = [
        "name", "kind", "description", "prompt", "model", "tools", "budgets", "approval", "schedule", "playbook", "routes",
        "default_route", "workflows", "sources", "template", "webhook",
    ]

    /// The agents in `home/agents`, sorted by name; none when the folder is absent.
    /// - Throws: ``ConfigError`` with file, line and key for the first bad file.
    public func load() throws -> [AgentSpec] {
        let directory = (home as NSString).appendingPathComponent("agents")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var agents: [AgentSpec] = []
        for file in names.sorted() where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
            let path = (directory as NSString).appendingPathComponent(file)
            let agent = try load(file: path)
            if let other = agents.first(where: { $0.name == agent.name }) {
                throw ConfigError.invalidValue(
                    location: path, key: "name", expected: "a name no other agent has", got: "'\(other.name)' again")
            }
            agents.append(agent)
        }
        try Self.checkRoutes(agents)
        return agents.sorted { $0.name < $1.name }
    }

    public func load(file: String) throws -> AgentSpec {
        let text = try ConfigLoader.read(file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigLoader.syntaxError(error, file: file)
        }
        guard let root else { throw ConfigError.invalidValue(location: file, key: "(agent)", expected: "a mapping", got: "an empty file") }
        let fields = try ConfigMapping.fields(root, file: file, key: "agent", known: Self.fields, expected: "a mapping of agent fields")
        func required(_ name: String) throws -> ConfigValue {
            guard let value = fields[name] else {
                throw ConfigError.invalidValue(location: ConfigMapping.location(root, file), key: name, expected: "set", got: "nothing")
            }
            return value
        }
        var agent = AgentSpec(
            name: try EndpointSettings.name(try required("name")), kind: try required("kind").choice(),
            description: try required("description").string())
        agent.source = file
        if let prompt = fields["prompt"] {
            let name = try EndpointSettings.name(prompt)
            agent.prompt = name
            agent.persona = try persona(named: name, value: prompt)
        }
        if let model = fields["model"] { agent.models = try Self.stringOrList(model) }
        if let tools = fields["tools"] { agent.tools = try tools.strings() }
        if let budgets = fields["budgets"], case .yaml(let node) = budgets.source {
            let values = try ConfigMapping.fields(node, file: file, key: budgets.key, known: ["steps", "tokens", "seconds"], expected: "steps, tokens, seconds")
            if let steps = values["steps"] { agent.budgets.steps = try steps.int(in: 1...100) }
            if let tokens = values["tokens"] { agent.budgets.tokens = try tokens.int(in: 256...10_000_000) }
            if let seconds = values["seconds"] { agent.budgets.seconds = try seconds.int(in: 1...86_400) }
        }
        if let approval = fields["approval"] { agent.approval = try approval.choice() }
        if let schedule = fields["schedule"] { agent.schedule = try schedule.optionalString() }
        if let playbook = fields["playbook"], case .yaml(let node) = playbook.source {
            agent.playbook = try Self.playbook(node, file: file, key: playbook.key)
        }
        if let routes = fields["routes"], case .yaml(let node) = routes.source {
            agent.routes = try Self.routes(node, file: file, key: routes.key)
        }
        if let route = fields["default_route"] { agent.defaultRoute = try EndpointSettings.name(route) }
        if let workflows = fields["workflows"], case .yaml(let node) = workflows.source {
            agent.workflows = try Self.workflows(node, file: file, key: workflows.key)
        }
        if let sources = fields["sources"] { agent.sources = try sources.strings() }
        if let template = fields["template"] { agent.template = try template.string() }
        if let webhook = fields["webhook"] { agent.webhook = try EndpointSettings.url(webhook) }
        try Self.checkKind(agent, at: ConfigMapping.location(root, file), playbookAt: fields["playbook"]?.location)
        return agent
    }

    /// What each kind needs to do anything at all without a model.
    private static func checkKind(_ agent: AgentSpec, at location: String, playbookAt: String?) throws {
        switch agent.kind {
        case .orchestration where agent.routes.isEmpty && agent.defaultRoute == nil && agent.workflows.isEmpty:
            throw ConfigError.invalidValue(
                location: location, key: "routes", expected: "routes, default_route or workflows for an orchestration agent", got: "none")
        case .knowledge where agent.sources.isEmpty:
            throw ConfigError.invalidValue(location: location, key: "sources", expected: "file globs for a knowledge agent", got: "none")
        case .execution:
            for step in agent.playbook where !agent.tools.contains(where: { GlobPattern($0).matches(name: step.tool) }) {
                throw ConfigError.invalidValue(
                    location: playbookAt ?? location, key: "playbook", expected: "tools this agent may call (its tools: list)",
                    got: "'\(step.tool)'")
            }
        case .integration where agent.template == nil:
            throw ConfigError.invalidValue(location: location, key: "template", expected: "a message template for an integration agent", got: "none")
        default:
            return
        }
    }

    static func checkRoutes(_ agents: [AgentSpec]) throws {
        let names = Set(agents.map(\.name))
        for agent in agents {
            let others = names.subtracting([agent.name]).sorted()
            let targets = agent.routes.map(\.agent) + [agent.defaultRoute].compactMap { $0 } + agent.workflows.flatMap { $0.steps.map(\.agent) }
            for target in targets where !others.contains(target) {
                throw ConfigError.invalidValue(
                    location: agent.source ?? "agents/\(agent.name)", key: "routes",
                    expected: others.isEmpty ? "another agent's name, but there is no other agent" : "another agent's name (one of \(others.joined(separator: ", ")))",
                    got: "'\(target)'")
            }
        }
    }

    /// The prompt file's text after its front matter.
    private func persona(named name: String, value: ConfigValue) throws -> String {
        let path = (home as NSString).appendingPathComponent("prompts/\(name).md")
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ConfigError.invalidValue(location: value.location, key: value.key, expected: "a prompt in prompts/\(name).md", got: "no such file")
        }
        let text = try ConfigLoader.read(path)
        guard text.hasPrefix("---\n"), let end = text.range(of: "\n---\n", range: text.index(text.startIndex, offsetBy: 4)..<text.endIndex) else {
            return text
        }
        return String(text[end.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func playbook(_ node: Node, file: String, key: String) throws -> [AgentSpec.PlaybookStep] {
        guard case .sequence(let items) = node else {
            throw ConfigError.invalidValue(location: ConfigMapping.location(node, file), key: key, expected: "a list of tool calls", got: "something else")
        }
        return try items.enumerated().map { index, item in
            let fields = try ConfigMapping.fields(item, file: file, key: "\(key)[\(index)]", known: ["tool", "arguments"], expected: "tool and arguments")
            guard let tool = fields["tool"] else {
                throw ConfigError.invalidValue(location: ConfigMapping.location(item, file), key: "\(key)[\(index)].tool", expected: "a tool name", got: "none")
            }
            var step = AgentSpec.PlaybookStep(tool: try tool.string())
            if let arguments = fields["arguments"], case .yaml(let argumentsNode) = arguments.source {
                step.arguments = try json(argumentsNode, file: file, key: arguments.key)
                guard step.arguments.objectValue != nil else {
                    throw ConfigError.invalidValue(location: arguments.location, key: arguments.key, expected: "a mapping", got: step.arguments.typeName)
                }
            }
            return step
        }
    }

    private static func workflows(_ node: Node, file: String, key: String) throws -> [AgentSpec.Workflow] {
        try ConfigMapping.namedItems(
            node, file: file, key: key, expected: "a list of workflows (- name: …, keywords: […], steps: […])",
            known: ["name", "description", "keywords", "steps"]
        ).map { item in
            guard let stepsValue = item.fields["steps"], case .yaml(.sequence(let steps)) = stepsValue.source, !steps.isEmpty, steps.count <= 10 else {
                throw ConfigError.invalidValue(
                    location: ConfigMapping.location(item.node, file), key: item.key + ".steps", expected: "a list of 1 to 10 steps (- agent: …)",
                    got: "something else")
            }
            let parsed = try steps.enumerated().map { index, step in
                let fields = try ConfigMapping.fields(
                    step, file: file, key: "\(item.key).steps[\(index)]", known: ["agent", "question"], expected: "agent and question")
                guard let agent = fields["agent"] else {
                    throw ConfigError.invalidValue(
                        location: ConfigMapping.location(step, file), key: "\(item.key).steps[\(index)].agent", expected: "an agent's name", got: "none")
                }
                return AgentSpec.WorkflowStep(agent: try EndpointSettings.name(agent), question: try fields["question"]?.string())
            }
            return AgentSpec.Workflow(
                name: item.name, description: try item.fields["description"]?.string() ?? "",
                keywords: try item.fields["keywords"]?.strings().map { $0.lowercased() } ?? [], steps: parsed)
        }
    }

    private static func routes(_ node: Node, file: String, key: String) throws -> [AgentSpec.Route] {
        guard case .sequence(let items) = node else {
            throw ConfigError.invalidValue(location: ConfigMapping.location(node, file), key: key, expected: "a list of routes", got: "something else")
        }
        return try items.enumerated().map { index, item in
            let fields = try ConfigMapping.fields(item, file: file, key: "\(key)[\(index)]", known: ["agent", "keywords"], expected: "agent and keywords")
            guard let agent = fields["agent"], let keywords = fields["keywords"] else {
                throw ConfigError.invalidValue(location: ConfigMapping.location(item, file), key: "\(key)[\(index)]", expected: "agent and keywords", got: "a field missing")
            }
            return AgentSpec.Route(agent: try EndpointSettings.name(agent), keywords: try keywords.strings().map { $0.lowercased() })
        }
    }

    /// YAML as JSON: scalars keep the type YAML resolves them to.
    static func json(_ node: Node, file: String, key: String) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if node.null != nil { return .null }
            if scalar.style == .plain {
                if let bool = node.bool { return .bool(bool) }
                if let int = node.int { return .int(int) }
                if let double = node.float { return .double(double) }
            }
            return .string(scalar.string)
        case .sequence(let items):
            return .array(try items.map { try json($0, file: file, key: key) })
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (keyNode, valueNode) in mapping {
                object[keyNode.scalar?.string ?? ""] = try json(valueNode, file: file, key: key)
            }
            return .object(object)
        case .alias:
            throw ConfigError.invalidValue(location: ConfigMapping.location(node, file), key: key, expected: "plain YAML", got: "an alias")
        }
    }

    private static func stringOrList(_ value: ConfigValue) throws -> [String] {
        if case .yaml(let node) = value.source, case .sequence = node { return try value.strings() }
        return [try value.string()]
    }
}

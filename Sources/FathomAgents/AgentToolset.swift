import FathomLLM
import FathomCore
import FathomTools

/// The agents as MCP tools: `list_agents` and `ask_agent`.
public enum AgentToolset {
    public static let name = "agents"

    public static func tools(_ engine: AgentEngine) -> [any Tool] {
        [ListAgentsTool(engine: engine), AskAgentTool(engine: engine)]
    }
}

struct ListAgentsTool: Tool {
    struct Arguments: Decodable, Sendable {}

    static let name = "list_agents"
    static let title = "List agents"
    static let description = """
        The agents Fathom runs: each one's name, kind (orchestration, knowledge, execution, integration), what it is for, \
        its tools and budgets; and the configured models with their health. Ask one with ask_agent.
        """
    static let inputSchema: JSONValue = ["type": "object", "properties": [:], "additionalProperties": false]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = AgentToolset.name
    let engine: AgentEngine

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let agents = engine.agents
        var lines = agents.isEmpty ? ["No agents are defined (add YAML files under agents/)."] : []
        for agent in agents {
            var line = "\(agent.name) (\(agent.kind.rawValue)): \(agent.description)"
            if !agent.tools.isEmpty { line += "\n  tools: \(agent.tools.joined(separator: ", "))" }
            line += "\n  budgets: \(agent.budgets.steps) steps, \(agent.budgets.tokens) tokens, \(agent.budgets.seconds) s; approval: \(agent.approval.rawValue)"
            if let schedule = agent.schedule { line += "; schedule: \(schedule)" }
            lines.append(line)
        }
        let health = engine.router.health
        lines.append(
            health.isEmpty
                ? "Models: none configured, so every agent answers on its deterministic path (mode: fallback)."
                : "Models, in fallback order: " + health.map { "\($0.name) (\(Self.describe($0.state)))" }.joined(separator: ", "))
        let structured: JSONValue = [
            "agents": .array(agents.map { agent in
                [
                    "name": .string(agent.name), "kind": .string(agent.kind.rawValue), "description": .string(agent.description),
                    "tools": .array(agent.tools.map(JSONValue.string)), "models": .array(agent.models.map(JSONValue.string)),
                    "budgets": ["steps": .int(agent.budgets.steps), "tokens": .int(agent.budgets.tokens), "seconds": .int(agent.budgets.seconds)],
                    "approval": .string(agent.approval.rawValue), "schedule": agent.schedule.map(JSONValue.string) ?? .null,
                ]
            }),
            "models": .array(health.map { ["name": .string($0.name), "state": .string(Self.describe($0.state))] }),
        ]
        return .text(lines.joined(separator: "\n"), structured: structured)
    }

    static func describe(_ state: CircuitBreaker.State) -> String {
        switch state {
        case .closed: "healthy"
        case .halfOpen: "being retried"
        case .open(let seconds): "resting \(seconds) s after failures"
        }
    }
}

struct AskAgentTool: Tool {
    struct Arguments: Decodable, Sendable {
        var question: String
        var agent: String?
    }

    static let name = "ask_agent"
    static let title = "Ask an agent"
    static let description = """
        Puts a question or task to one of Fathom's agents (see list_agents; without `agent`, the orchestrator picks). \
        The agent gathers facts with Fathom's tools, under the same policy as you, and answers. Without a reachable \
        model it answers on its deterministic path, and the answer says `mode: fallback` and why. Each run is stored: \
        its id is in the answer.
        """
    static let inputSchema: JSONValue = [
        "type": "object",
        "properties": [
            "question": ["type": "string", "minLength": 1, "maxLength": .int(AgentEngine.maxQuestionBytes), "description": "The question or task."],
            "agent": ["type": "string", "maxLength": 64, "description": "An agent's name from list_agents; default: the orchestrator."],
        ],
        "required": ["question"],
        "additionalProperties": false,
    ]
    // Read-only itself: every tool the agent calls passes policy and approval on its own.
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = AgentToolset.name
    let engine: AgentEngine

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let steps = StepCounter()
        let events = AgentEvents(
            onStep: { line in await context.progress(Double(steps.next()), nil, line) },
            approve: context.approve,
            borrowedModel: context.sample.map { SamplingModel(sample: $0) })
        let answer: AgentAnswer
        do {
            answer = try await engine.ask(arguments.question, agent: arguments.agent, client: context.client, events: events)
        } catch let error as AgentError {
            return .error(error.description)
        }
        var structured: [String: JSONValue] = [
            "run_id": .string(answer.runID), "agent": .string(answer.agent), "mode": .string(answer.mode.name),
            "tool_calls": .int(answer.toolCalls), "tokens": .int(answer.usage.total),
        ]
        switch answer.mode {
        case .llm(let model): structured["model"] = .string(model)
        case .fallback(let why): structured["why"] = .string(why)
        }
        return .text(answer.rendered, structured: .object(structured))
    }
}

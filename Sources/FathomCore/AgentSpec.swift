/// One agent, as `agents/NAME.yaml` defines it.
public struct AgentSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Routes a request to the right agent, or runs a declared workflow.
        case orchestration
        /// Answers from runbooks and documents.
        case knowledge
        /// Investigates and acts with tools: a ReAct loop, or its playbook without a model.
        case execution
        /// Talks to external systems: composes a message and sends it to a webhook.
        case integration
    }

    /// What happens when the agent wants a destructive tool.
    public enum Approval: String, Sendable, CaseIterable {
        /// Ask the person behind the client (MCP elicitation); refused when nobody can be asked.
        case ask
        /// Refuse every destructive call: for scheduled and other headless runs.
        case deny
    }

    public struct Budgets: Sendable, Equatable {
        /// Model turns in one run.
        public var steps = 8
        /// Prompt and completion tokens over the whole run.
        public var tokens = 32_000
        /// Wall-clock seconds for the whole run.
        public var seconds = 120
        public init() {}
    }

    /// A tool call of the deterministic path. String arguments may hold `{{question}}`.
    public struct PlaybookStep: Sendable, Equatable {
        public var tool: String
        public var arguments: JSONValue
        public init(tool: String, arguments: JSONValue = .object([:])) {
            self.tool = tool
            self.arguments = arguments
        }
    }

    /// Where an orchestration agent sends a request that mentions any of `keywords`.
    public struct Route: Sendable, Equatable {
        public var agent: String
        public var keywords: [String]
        public init(agent: String, keywords: [String]) {
            self.agent = agent
            self.keywords = keywords
        }
    }

    /// A declared sequence of agents an orchestration agent runs for requests that mention its keywords. Each step's
    /// question may use `{{question}}` (the request) and `{{previous}}` (the previous step's answer).
    public struct Workflow: Sendable, Equatable {
        public var name: String
        public var description: String
        public var keywords: [String]
        public var steps: [WorkflowStep]
        public init(name: String, description: String, keywords: [String], steps: [WorkflowStep]) {
            self.name = name
            self.description = description
            self.keywords = keywords
            self.steps = steps
        }
    }

    public struct WorkflowStep: Sendable, Equatable {
        public var agent: String
        /// Default: `{{question}}`.
        public var question: String?
        public init(agent: String, question: String? = nil) {
            self.agent = agent
            self.question = question
        }
    }

    public var name: String
    public var kind: Kind
    public var description: String
    /// The persona prompt's name in `prompts/`, and its text without front matter.
    public var prompt: String?
    public var persona: String
    /// Configured model names, most preferred first; the router's fallback chain follows.
    public var models: [String] = []
    /// Tool-name globs this agent may call; policy still decides each call.
    public var tools: [String] = []
    public var budgets = Budgets()
    public var approval: Approval = .ask
    /// A cron expression for the scheduler; kept as written.
    public var schedule: String?
    public var playbook: [PlaybookStep] = []
    public var routes: [Route] = []
    /// The route taken when no keyword matches (orchestration).
    public var defaultRoute: String?
    public var workflows: [Workflow] = []
    /// Globs of files (relative to the home folder) the knowledge agent searches.
    public var sources: [String] = []
    /// The message an integration agent sends without a model; `{{question}}` and `{{answer}}` are filled in.
    public var template: String?
    /// Where an integration agent posts its message (JSON `{"text": …}`).
    public var webhook: String?
    /// The file the agent was read from, for errors.
    public var source: String?

    public init(name: String, kind: Kind, description: String, persona: String = "") {
        self.name = name
        self.kind = kind
        self.description = description
        self.persona = persona
    }
}

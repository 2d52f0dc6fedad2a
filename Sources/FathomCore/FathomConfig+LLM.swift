extension FathomConfig {
    /// The models agents may call (`llm:` in `fathom.yaml`). None configured is a supported setup:
    /// every agent then answers on its deterministic path.
    public struct LLMSettings: Sendable, Equatable {
        public var models: [Model] = []
        /// The order models are tried in when an agent's own preference fails; empty means the order of ``models``.
        public var fallback: [String] = []
        /// Retries of one model on 429, 5xx and connection failures, with exponential backoff.
        public var retries = 2
        /// Consecutive failures that open a model's circuit; while open, the model is skipped.
        public var breakerFailures = 3
        public var breakerCooldownSeconds = 30.0
        public init() {}

        /// The models in fallback order.
        public var ordered: [Model] {
            let named = fallback.compactMap { name in models.first { $0.name == name } }
            return named + models.filter { !fallback.contains($0.name) }
        }
    }

    public struct Model: Sendable, Equatable {
        public enum Provider: String, Sendable, CaseIterable {
            /// `/v1/chat/completions`: vLLM, llama.cpp, LM Studio, hosted APIs.
            case openai
            /// Ollama's native `/api/chat`.
            case ollama
            /// The Anthropic Messages API.
            case anthropic
        }

        /// How tools are offered: `native` uses the API's tools field; `prompt` describes them in the system
        /// prompt and reads `<tool_call>` JSON out of the text, for models without tool-call support.
        public enum ToolMode: String, Sendable, CaseIterable {
            case native, prompt
        }

        public var name: String
        public var provider: Provider = .openai
        /// The server's base URL, with or without a trailing `/v1`.
        public var url: String
        /// The model name sent in each request.
        public var model: String
        public var apiKey: String?
        public var timeoutSeconds = 120.0
        /// Overrides detection (llama.cpp `/props`, vLLM `/v1/models`, Ollama `/api/show`).
        public var contextWindow: Int?
        /// Tokens the reply may use; also kept free of the prompt when budgeting.
        public var maxOutputTokens = 1024
        public var toolMode: ToolMode = .native
        public var headers: [String: String] = [:]
        public var tls = TLSSettings()

        public init(name: String, url: String, model: String) {
            self.name = name
            self.url = url
            self.model = model
        }
    }
}

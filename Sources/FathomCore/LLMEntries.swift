import Yams

/// Reads `llm.models` of `fathom.yaml`.
///
/// ```yaml
/// llm:
///   models:
///     - name: local
///       provider: openai            # openai (vLLM, llama.cpp, hosted) | ollama | anthropic
///       url: http://127.0.0.1:8080
///       model: qwen2.5-7b-instruct
///       api_key_env: OPENAI_API_KEY # or api_key_file; never api_key in a committed file
///       context_window: 32768       # default: detected from the server
///   fallback: [local, hosted]
/// ```
struct LLMEntries {
    let environment: [String: String]
    let home: String

    static let fields = [
        "name", "provider", "url", "model", "api_key", "api_key_env", "api_key_file", "timeout_seconds", "context_window",
        "max_output_tokens", "tool_mode", "headers", "tls",
    ]

    func parse(_ node: Node, file: String) throws -> [FathomConfig.Model] {
        try ConfigMapping.namedItems(
            node, file: file, key: "llm.models", expected: "a list of models (- name: …, url: …, model: …)", known: Self.fields
        ).map { item in
            let fields = item.fields
            guard let url = fields["url"], let model = fields["model"] else {
                throw ConfigError.invalidValue(
                    location: ConfigMapping.location(item.node, file), key: item.key, expected: "both url and model",
                    got: "a field missing")
            }
            var entry = FathomConfig.Model(name: item.name, url: try EndpointSettings.url(url), model: try model.string())
            if let provider = fields["provider"] { entry.provider = try provider.choice() }
            if let mode = fields["tool_mode"] { entry.toolMode = try mode.choice() }
            if fields["api_key"] != nil || fields["api_key_env"] != nil || fields["api_key_file"] != nil {
                entry.apiKey = try ConfigMapping.secret(
                    fields, prefix: "api_key", at: item.node, file: file, key: item.key, environment: environment, home: home)
            }
            if let timeout = fields["timeout_seconds"] { entry.timeoutSeconds = Double(try timeout.int(in: 1...3600)) }
            if let window = fields["context_window"] { entry.contextWindow = try window.int(in: 512...10_000_000) }
            if let tokens = fields["max_output_tokens"] { entry.maxOutputTokens = try tokens.int(in: 16...1_000_000) }
            if let headers = fields["headers"], case .yaml(let headersNode) = headers.source {
                entry.headers = try EndpointSettings(environment: environment, home: home).headers(headersNode, file: file, key: headers.key)
            }
            if let tls = fields["tls"], case .yaml(let tlsNode) = tls.source {
                entry.tls = try EndpointSettings(environment: environment, home: home).tls(tlsNode, file: file, key: tls.key)
            }
            return entry
        }
    }

    /// `llm.url` (`FATHOM_LLM_URL`): one OpenAI-compatible model named `default`, tried first.
    static func defaultModel(_ settings: inout FathomConfig.LLMSettings, url value: ConfigValue) throws {
        let url = try EndpointSettings.url(value)
        var model = settings.models.first { $0.name == "default" } ?? FathomConfig.Model(name: "default", url: url, model: "default")
        model.url = url
        settings.models.removeAll { $0.name == "default" }
        settings.models.insert(model, at: 0)
    }

    /// `llm.model` and `llm.api_key` (`FATHOM_LLM_MODEL`, `FATHOM_LLM_API_KEY`) set the `default` model's fields.
    static func defaultModel(
        _ settings: inout FathomConfig.LLMSettings, _ value: ConfigValue, set: (inout FathomConfig.Model, ConfigValue) throws -> Void
    ) throws {
        guard let index = settings.models.firstIndex(where: { $0.name == "default" }) else {
            throw ConfigError.invalidValue(
                location: value.location, key: value.key, expected: "llm.url (FATHOM_LLM_URL) set too, naming the server", got: "no url")
        }
        try set(&settings.models[index], value)
    }
}

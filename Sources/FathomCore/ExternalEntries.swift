import Yams

/// Reads `servers:` of `tools/external.yaml`.
///
/// ```yaml
/// servers:
///   - name: git
///     command: [uvx, mcp-server-git, --repository, /srv/repo]   # stdio
///     env: {GIT_TERMINAL_PROMPT: "0"}
///     read_only_tools: [git_status, git_log, git_diff*]
///   - name: docs
///     url: http://127.0.0.1:9000/mcp                           # Streamable HTTP
///     token_env: DOCS_MCP_TOKEN
/// ```
struct ExternalEntries {
    let environment: [String: String]
    let home: String

    static let fields = ["name", "command", "env", "cwd", "url", "token", "token_env", "token_file", "read_only_tools", "timeout_seconds"]

    func parse(_ node: Node, file: String) throws -> [FathomConfig.ExternalServer] {
        try ConfigMapping.namedItems(
            node, file: file, key: "external.servers", expected: "a list of MCP servers (- name: …, command: [...] or url: …)",
            known: Self.fields
        ).map { item in
            let fields = item.fields
            guard item.name.range(of: "__") == nil else {
                throw ConfigError.invalidValue(
                    location: ConfigMapping.location(item.node, file), key: item.key + ".name", expected: "a name without '__'",
                    got: "'\(item.name)'")
            }
            let transport: FathomConfig.ExternalServer.Transport
            switch (fields["command"], fields["url"]) {
            case (let command?, nil):
                let words = try command.strings()
                guard words.first?.isEmpty == false else {
                    throw ConfigError.invalidValue(location: command.location, key: command.key, expected: "a program and its arguments", got: "an empty list")
                }
                var variables: [String: String] = [:]
                if let env = fields["env"], case .yaml(let envNode) = env.source {
                    for (name, value) in try ConfigMapping.fields(envNode, file: file, key: env.key, known: nil, expected: "a mapping of variables") {
                        variables[name] = try value.string()
                    }
                }
                let directory = try fields["cwd"].map { ConfigLoader.absolute(try $0.string(), from: home) }
                transport = .stdio(command: words, environment: variables, directory: directory)
            case (nil, let url?):
                let hasToken = fields["token"] != nil || fields["token_env"] != nil || fields["token_file"] != nil
                let token = hasToken
                    ? try ConfigMapping.secret(fields, prefix: "token", at: item.node, file: file, key: item.key, environment: environment, home: home)
                    : nil
                transport = .http(url: try EndpointSettings.url(url), bearer: token)
            default:
                throw ConfigError.invalidValue(
                    location: ConfigMapping.location(item.node, file), key: item.key, expected: "exactly one of command (stdio) and url (HTTP)",
                    got: fields["command"] == nil ? "neither" : "both")
            }
            var server = FathomConfig.ExternalServer(name: item.name, transport: transport)
            if let globs = fields["read_only_tools"] { server.readOnlyTools = try globs.strings() }
            if let timeout = fields["timeout_seconds"] { server.timeoutSeconds = Double(try timeout.int(in: 1...3600)) }
            return server
        }
    }
}

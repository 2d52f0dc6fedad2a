import Foundation
import Yams

/// Reads `fathom.yaml` and `tools/*.yaml`, then applies `FATHOM_*` environment overrides.
///
/// Every key is known: a typo such as `rots:` is an error with its line, not a silently ignored setting.
public struct ConfigLoader: Sendable {
    /// Config files are small; a larger one is a mistake or an attack (YAML alias bombs).
    public static let maxFileBytes = 256 * 1024

    public let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    private struct Setting: Sendable {
        let section: String?
        let key: String
        let apply: @Sendable (inout FathomConfig, ConfigValue) throws -> Void

        var dotted: String { section.map { "\($0).\(key)" } ?? key }
        var environmentName: String { "FATHOM_" + dotted.replacingOccurrences(of: ".", with: "_").uppercased() }
    }

    private static let settings: [Setting] = [
        Setting(section: nil, key: "state_dir") { $0.stateDirectory = try $1.string() },
        Setting(section: "mcp", key: "max_message_bytes") { $0.mcp.maxMessageBytes = try $1.int(in: 1024...(1 << 30)) },
        Setting(section: "mcp", key: "page_size") { $0.mcp.pageSize = try $1.int(in: 1...10_000) },
        Setting(section: "policy", key: "read_only") { $0.policy.readOnly = try $1.bool() },
        Setting(section: "policy", key: "allow") { $0.policy.allow = try $1.strings() },
        Setting(section: "policy", key: "deny") { $0.policy.deny = try $1.strings() },
        Setting(section: "filesystem", key: "roots") { $0.filesystem.roots = try $1.strings() },
        Setting(section: "filesystem", key: "deny") { $0.filesystem.deny = try $1.strings() },
        Setting(section: "filesystem", key: "max_read_bytes") {
            $0.filesystem.maxReadBytes = try $1.int(in: 1...(1 << 30))
        },
        Setting(section: "filesystem", key: "max_media_bytes") {
            $0.filesystem.maxMediaBytes = try $1.int(in: 1...(1 << 30))
        },
        Setting(section: "filesystem", key: "max_entries") { $0.filesystem.maxEntries = try $1.int(in: 1...10_000_000) },
        Setting(section: "filesystem", key: "use_client_roots") { $0.filesystem.useClientRoots = try $1.bool() },
        Setting(section: "http", key: "host") { $0.http.host = try $1.string() },
        Setting(section: "http", key: "port") { $0.http.port = try $1.int(in: 0...65535) },
        Setting(section: "http", key: "allowed_origins") { $0.http.allowedOrigins = try $1.strings() },
        Setting(section: "http", key: "max_body_bytes") { $0.http.maxBodyBytes = try $1.int(in: 1024...(1 << 30)) },
        Setting(section: "http", key: "max_sessions") { $0.http.maxSessions = try $1.int(in: 1...1_000_000) },
        Setting(section: "http", key: "session_idle_seconds") { $0.http.sessionIdleSeconds = try $1.int(in: 1...604_800) },
        Setting(section: "http", key: "rate_limit") { $0.http.rateLimit = try $1.int(in: 0...1_000_000) },
        Setting(section: "http", key: "rate_burst") { $0.http.rateBurst = try $1.int(in: 1...1_000_000) },
        Setting(section: "http", key: "stateless") { $0.http.stateless = try $1.bool() },
        Setting(section: "observability", key: "prometheus_url") { try Self.defaultEndpoint(&$0.observability.prometheus, $1) },
        Setting(section: "observability", key: "alertmanager_url") { try Self.defaultEndpoint(&$0.observability.alertmanager, $1) },
        Setting(section: "observability", key: "loki_url") { try Self.defaultEndpoint(&$0.observability.loki, $1) },
        Setting(section: "observability", key: "tempo_url") { try Self.defaultEndpoint(&$0.observability.tempo, $1) },
        Setting(section: "observability", key: "max_series") { $0.observability.maxSeries = try $1.int(in: 1...1000) },
        Setting(section: "observability", key: "max_points") { $0.observability.maxPoints = try $1.int(in: 10...11_000) },
        Setting(section: "observability", key: "max_response_bytes") {
            $0.observability.maxResponseBytes = try $1.int(in: 1024...(1 << 30))
        },
        Setting(section: "cluster", key: "kubeconfig") { try ClusterEntries.defaultCluster(&$0.cluster.clusters, $1, home: $0.home) },
        Setting(section: "cluster", key: "denied_resources") { $0.cluster.deniedResources = try $1.strings().map { $0.lowercased() } },
        Setting(section: "cluster", key: "timeout_seconds") { $0.cluster.timeoutSeconds = Double(try $1.int(in: 1...3600)) },
        Setting(section: "cluster", key: "max_log_bytes") { $0.cluster.maxLogBytes = try $1.int(in: 1024...(1 << 30)) },
        Setting(section: "cluster", key: "max_response_bytes") { $0.cluster.maxResponseBytes = try $1.int(in: 1024...(1 << 30)) },
        Setting(section: "database", key: "max_rows") { $0.database.maxRows = try $1.int(in: 1...100_000) },
        Setting(section: "database", key: "statement_timeout_ms") {
            $0.database.statementTimeoutMilliseconds = try $1.int(in: 1...3_600_000)
        },
        Setting(section: "database", key: "max_cell_bytes") { $0.database.maxCellBytes = try $1.int(in: 16...(1 << 24)) },
        Setting(section: "llm", key: "url") { try LLMEntries.defaultModel(&$0.llm, url: $1) },
        Setting(section: "llm", key: "model") { try LLMEntries.defaultModel(&$0.llm, $1) { $0.model = try $1.string() } },
        Setting(section: "llm", key: "api_key") { try LLMEntries.defaultModel(&$0.llm, $1) { $0.apiKey = try $1.string() } },
        Setting(section: "llm", key: "fallback") { $0.llm.fallback = try $1.strings() },
        Setting(section: "llm", key: "retries") { $0.llm.retries = try $1.int(in: 0...10) },
        Setting(section: "llm", key: "breaker_failures") { $0.llm.breakerFailures = try $1.int(in: 1...1000) },
        Setting(section: "llm", key: "breaker_cooldown_seconds") { $0.llm.breakerCooldownSeconds = Double(try $1.int(in: 1...86_400)) },
        // One token from the environment or a line of YAML; `http.tokens` names several, each with its client.
        Setting(section: "http", key: "token") {
            $0.http.tokens.append(FathomConfig.BearerToken(client: "default", secret: try BearerTokens.checked($1.string(), at: $1)))
        },
    ]

    /// Sections whose keys are not in the table above.
    private static let freeformKeys: Set<String> = [
        "policy.clients", "http.tokens", "http.jwt", "http.oauth", "observability.prometheus", "observability.alertmanager",
        "observability.loki", "observability.tempo", "observability.cluster_groups", "database.connections",
        "cluster.clusters", "llm.models", "external.servers",
    ]
    /// Sections that live in `tools/NAME.yaml`.
    public static let toolsets = ["filesystem", "observability", "database", "cluster", "external"]

    /// `prometheus_url: URL` (or `FATHOM_OBSERVABILITY_PROMETHEUS_URL`) is one endpoint named `default`.
    private static func defaultEndpoint(_ endpoints: inout [FathomConfig.Endpoint], _ value: ConfigValue) throws {
        let url = try EndpointSettings.url(value)
        if let index = endpoints.firstIndex(where: { $0.name == "default" }) {
            endpoints[index].url = url
        } else {
            endpoints.append(FathomConfig.Endpoint(name: "default", url: url))
        }
    }

    /// Loads the configuration.
    /// - Parameters:
    ///   - file: an explicit config file; when nil, `$FATHOM_CONFIG`, then `fathom.yaml` in `home`, if present.
    ///   - home: the folder of `tools/` and `prompts/`; defaults to the config file's folder, else the current one.
    /// - Throws: ``ConfigError`` naming the file, line and key.
    public func load(file: String? = nil, home: String? = nil) throws -> FathomConfig {
        let explicit = file ?? environment["FATHOM_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let cwd = FileManager.default.currentDirectoryPath
        let resolvedHome: String
        if let home {
            resolvedHome = Self.absolute(home, from: cwd)
        } else if let explicit {
            resolvedHome = (Self.absolute(explicit, from: cwd) as NSString).deletingLastPathComponent
        } else {
            resolvedHome = cwd
        }
        var config = FathomConfig(home: resolvedHome)
        var sectionFiles: [String: String] = [:]

        let mainFile = explicit.map { Self.absolute($0, from: cwd) } ?? (resolvedHome + "/fathom.yaml")
        if explicit != nil || FileManager.default.fileExists(atPath: mainFile) {
            try apply(file: mainFile, section: nil, to: &config, sectionFiles: &sectionFiles)
        }
        for toolset in Self.toolsets {
            let path = resolvedHome + "/tools/\(toolset).yaml"
            if FileManager.default.fileExists(atPath: path) {
                try apply(file: path, section: toolset, to: &config, sectionFiles: &sectionFiles)
            }
        }
        for setting in Self.settings {
            if let value = environment[setting.environmentName] {
                try setting.apply(
                    &config, ConfigValue(environment: setting.environmentName, value: value, key: setting.dotted))
            }
        }
        return config
    }

    private func apply(
        file: String, section: String?, to config: inout FathomConfig, sectionFiles: inout [String: String]
    ) throws {
        let text = try Self.read(file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.syntaxError(error, file: file)
        } catch {
            throw ConfigError.syntax(file: file, line: 0, column: 0, problem: "\(error)")
        }
        config.sources.append(file)
        guard let root else { return }  // an empty file configures nothing
        guard case .mapping(let mapping) = root else {
            throw ConfigError.invalidValue(
                location: "\(file):\(root.mark?.line ?? 1):\(root.mark?.column ?? 1)", key: section ?? "(top level)",
                expected: "a mapping of keys", got: "something else")
        }
        if let section {
            try applySection(section, mapping: mapping, file: file, to: &config, sectionFiles: &sectionFiles)
            return
        }
        let topKeys = Set(Self.settings.map { $0.section ?? $0.key } + Self.freeformKeys.map { String($0.prefix { $0 != "." }) })
        for (keyNode, valueNode) in mapping {
            let key = keyNode.scalar?.string ?? ""
            guard topKeys.contains(key) else {
                throw ConfigError.unknownKey(location: ConfigMapping.location(keyNode, file), key: key, expected: topKeys.sorted())
            }
            if let setting = Self.settings.first(where: { $0.section == nil && $0.key == key }) {
                try setting.apply(&config, ConfigValue(node: valueNode, file: file, key: key))
            } else {
                guard case .mapping(let sub) = valueNode else {
                    throw ConfigError.invalidValue(
                        location: ConfigMapping.location(valueNode, file), key: key, expected: "a mapping", got: "a value")
                }
                try applySection(key, mapping: sub, file: file, to: &config, sectionFiles: &sectionFiles)
            }
        }
    }

    private func applySection(
        _ section: String, mapping: Node.Mapping, file: String, to config: inout FathomConfig,
        sectionFiles: inout [String: String]
    ) throws {
        if let first = sectionFiles[section], first != file {
            throw ConfigError.duplicateSection(key: section, first: first, second: file)
        }
        sectionFiles[section] = file
        let known = Self.settings.filter { $0.section == section }
        let freeform = Self.freeformKeys.filter { $0.hasPrefix(section + ".") }.map { String($0.dropFirst(section.count + 1)) }
        for (keyNode, valueNode) in mapping {
            let key = keyNode.scalar?.string ?? ""
            if let setting = known.first(where: { $0.key == key }) {
                try setting.apply(&config, ConfigValue(node: valueNode, file: file, key: "\(section).\(key)"))
            } else if section == "policy" && key == "clients" {
                config.policy.clients = try Self.clientRules(valueNode, file: file)
            } else if section == "http" && key == "tokens" {
                config.http.tokens += try BearerTokens(environment: environment, home: config.home).parse(valueNode, file: file)
            } else if section == "http" && key == "jwt" {
                config.http.jwt = try HTTPAuthSettings(environment: environment, home: config.home).jwt(valueNode, file: file)
            } else if section == "http" && key == "oauth" {
                config.http.oauth = try HTTPAuthSettings(environment: environment, home: config.home).oauth(valueNode, file: file)
            } else if section == "observability", let kind = Self.endpointList(key) {
                config.observability[keyPath: kind] = try EndpointSettings(environment: environment, home: config.home)
                    .endpoints(valueNode, file: file, key: "observability.\(key)")
            } else if section == "observability" && key == "cluster_groups" {
                config.observability.clusterGroups = try Self.clusterGroups(valueNode, file: file)
            } else if section == "cluster" && key == "clusters" {
                config.cluster.clusters += try ClusterEntries(environment: environment, home: config.home).parse(valueNode, file: file)
            } else if section == "external" && key == "servers" {
                config.external.servers = try ExternalEntries(environment: environment, home: config.home).parse(valueNode, file: file)
            } else if section == "llm" && key == "models" {
                config.llm.models += try LLMEntries(environment: environment, home: config.home).parse(valueNode, file: file)
            } else if section == "database" && key == "connections" {
                config.database.connections = try DatabaseConnections(environment: environment, home: config.home).parse(valueNode, file: file)
            } else {
                throw ConfigError.unknownKey(
                    location: ConfigMapping.location(keyNode, file), key: key, expected: (known.map(\.key) + freeform).sorted())
            }
        }
    }

    private static func endpointList(_ key: String) -> WritableKeyPath<FathomConfig.ObservabilitySettings, [FathomConfig.Endpoint]>? {
        switch key {
        case "prometheus": \.prometheus
        case "alertmanager": \.alertmanager
        case "loki": \.loki
        case "tempo": \.tempo
        default: nil
        }
    }

    private static func clusterGroups(_ node: Node, file: String) throws -> [String: [String]] {
        let fields = try ConfigMapping.fields(
            node, file: file, key: "observability.cluster_groups", known: nil, expected: "a mapping from group name to a list of clusters")
        return try fields.mapValues { value in
            let clusters = try value.strings()
            guard !clusters.isEmpty else {
                throw ConfigError.invalidValue(location: value.location, key: value.key, expected: "a non-empty list of clusters", got: "an empty one")
            }
            return clusters
        }
    }

    private static func clientRules(_ node: Node, file: String) throws -> [FathomConfig.ClientRule] {
        guard case .mapping(let mapping) = node else {
            throw ConfigError.invalidValue(
                location: ConfigMapping.location(node, file), key: "policy.clients",
                expected: "a mapping from client name (glob) to {read_only, allow, deny}", got: "something else")
        }
        return try mapping.map { keyNode, valueNode in
            let name = keyNode.scalar?.string ?? ""
            var rule = FathomConfig.ClientRule(client: name)
            guard case .mapping(let fields) = valueNode else {
                throw ConfigError.invalidValue(
                    location: ConfigMapping.location(valueNode, file), key: "policy.clients.\(name)",
                    expected: "a mapping with read_only, allow or deny", got: "something else")
            }
            for (fieldNode, fieldValue) in fields {
                let field = fieldNode.scalar?.string ?? ""
                let value = ConfigValue(node: fieldValue, file: file, key: "policy.clients.\(name).\(field)")
                switch field {
                case "read_only": rule.readOnly = try value.bool()
                case "allow": rule.allow = try value.strings()
                case "deny": rule.deny = try value.strings()
                default:
                    throw ConfigError.unknownKey(
                        location: ConfigMapping.location(fieldNode, file), key: field, expected: ["allow", "deny", "read_only"])
                }
            }
            return rule
        }
    }

    static func read(_ file: String, limit: Int = maxFileBytes) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw ConfigError.unreadable(file: file, reason: "no such file, or permission denied")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: limit + 1)) ?? Data()
        guard data.count <= limit else {
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? data.count
            throw ConfigError.tooLarge(file: file, bytes: size, limit: limit)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError.unreadable(file: file, reason: "not UTF-8 text")
        }
        return text
    }

    static func syntaxError(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return .syntax(file: file, line: mark.line, column: mark.column, problem: problem)
        default:
            return .syntax(file: file, line: 0, column: 0, problem: "\(error)")
        }
    }

    static func absolute(_ path: String, from base: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        return expanded.hasPrefix("/") ? expanded : (base as NSString).appendingPathComponent(expanded)
    }
}

import Foundation
import Yams

/// Reads kubeconfig files the way kubectl does, and resolves one context into a ``FathomConfig/KubeCluster``.
///
/// Several files (`KUBECONFIG=a:b`) are merged as kubectl merges them: the first file to name a cluster,
/// user or context wins, and so does the first `current-context`. Relative paths in a file are taken from
/// that file's folder. Every error names the file, the line and the field, e.g.
/// `users[dev].user.client-key-data`.
public struct KubeConfigFile {
    /// Kubeconfigs with hundreds of contexts exist; a larger file is a mistake.
    static let maxBytes = 4 * 1024 * 1024
    static let apiVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    private struct Entry {
        var node: Node
        var file: String
        var key: String
        var folder: String
    }

    private var clusters: [String: Entry] = [:]
    private var users: [String: Entry] = [:]
    private var contexts: [String: Entry] = [:]
    private var currentContext: String?
    private let files: [String]

    /// - Parameter paths: the files in precedence order; each must exist.
    public init(paths: [String]) throws {
        files = paths
        for path in paths { try read(path) }
    }

    /// The files kubectl would read: `$KUBECONFIG` (colon-separated, missing ones skipped), else `~/.kube/config`.
    public static func defaultPaths(environment: [String: String]) -> [String] {
        let home = environment["HOME"] ?? NSHomeDirectory()
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            return list.split(separator: ":").map { ConfigLoader.absolute(String($0), from: home) }
                .filter { FileManager.default.fileExists(atPath: $0) }
        }
        return [home + "/.kube/config"]
    }

    private mutating func read(_ path: String) throws {
        let text = try ConfigLoader.read(path, limit: Self.maxBytes)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigLoader.syntaxError(error, file: path)
        }
        guard let root else { return }
        guard case .mapping(let mapping) = root else {
            throw ConfigError.invalidValue(
                location: ConfigMapping.location(root, path), key: "(kubeconfig)", expected: "a mapping with clusters, users and contexts",
                got: "something else")
        }
        let folder = (path as NSString).deletingLastPathComponent
        for (keyNode, value) in mapping {
            switch keyNode.scalar?.string ?? "" {
            case "clusters": try collect(value, path, folder, list: "clusters", inner: "cluster", into: &clusters)
            case "users": try collect(value, path, folder, list: "users", inner: "user", into: &users)
            case "contexts": try collect(value, path, folder, list: "contexts", inner: "context", into: &contexts)
            case "current-context":
                let name = try ConfigValue(node: value, file: path, key: "current-context").optionalString()
                if currentContext == nil, let name { currentContext = name }
            default: break  // apiVersion, kind, preferences, extensions: nothing Fathom uses
            }
        }
    }

    /// `- name: N\n  cluster: {…}` items; the first file to name one wins.
    private func collect(
        _ node: Node, _ file: String, _ folder: String, list: String, inner: String, into entries: inout [String: Entry]
    ) throws {
        if node.null != nil { return }
        guard case .sequence(let items) = node else {
            throw ConfigError.invalidValue(
                location: ConfigMapping.location(node, file), key: list, expected: "a list of {name, \(inner)}", got: "something else")
        }
        for (index, item) in items.enumerated() {
            let fields = try ConfigMapping.fields(
                item, file: file, key: "\(list)[\(index)]", known: nil, expected: "a mapping with name and \(inner)")
            guard let nameValue = fields["name"] else {
                throw ConfigError.invalidValue(
                    location: ConfigMapping.location(item, file), key: "\(list)[\(index)].name", expected: "a name", got: "none")
            }
            let name = try nameValue.string()
            guard let body = fields[inner], case .yaml(let bodyNode) = body.source else {
                throw ConfigError.invalidValue(
                    location: ConfigMapping.location(item, file), key: "\(list)[\(name)].\(inner)", expected: "a mapping", got: "none")
            }
            if entries[name] == nil {
                entries[name] = Entry(node: bodyNode, file: file, key: "\(list)[\(name)].\(inner)", folder: folder)
            }
        }
    }

    /// The cluster, credentials and namespace of `context` (default: the current context).
    /// - Parameter name: what tools will call the cluster.
    public func resolve(name: String, context: String?) throws -> FathomConfig.KubeCluster {
        let source = files.joined(separator: ":")
        guard let contextName = context ?? currentContext else {
            throw ConfigError.invalidValue(
                location: source, key: "current-context", expected: "set, or a context named in the cluster's config",
                got: "neither; contexts are: \(Self.names(contexts))")
        }
        guard let contextEntry = contexts[contextName] else {
            throw ConfigError.invalidValue(
                location: source, key: context == nil ? "current-context" : "context",
                expected: "the name of a context in the kubeconfig", got: "'\(contextName)'; contexts are: \(Self.names(contexts))")
        }
        let fields = try mapping(contextEntry, known: ["cluster", "user", "namespace", "extensions"])
        guard let clusterName = try fields["cluster"]?.string(), let clusterEntry = clusters[clusterName] else {
            throw ConfigError.invalidValue(
                location: ConfigMapping.location(contextEntry.node, contextEntry.file), key: contextEntry.key + ".cluster",
                expected: "the name of a cluster in the kubeconfig", got: "'\(fields["cluster"].flatMap { try? $0.string() } ?? "")'; clusters are: \(Self.names(clusters))")
        }
        var endpoint = try self.cluster(clusterEntry, name: name)
        if let userName = try fields["user"]?.optionalString() {
            guard let userEntry = users[userName] else {
                throw ConfigError.invalidValue(
                    location: ConfigMapping.location(contextEntry.node, contextEntry.file), key: contextEntry.key + ".user",
                    expected: "the name of a user in the kubeconfig", got: "'\(userName)'; users are: \(Self.names(users))")
            }
            try user(userEntry, into: &endpoint)
        }
        let namespace = try fields["namespace"]?.optionalString() ?? "default"
        return FathomConfig.KubeCluster(
            name: name, endpoint: endpoint, namespace: namespace, source: "kubeconfig \(source), context \(contextName)")
    }

    private func mapping(_ entry: Entry, known: [String]) throws -> [String: ConfigValue] {
        try ConfigMapping.fields(entry.node, file: entry.file, key: entry.key, known: known, expected: "a mapping")
    }

    private static func names(_ entries: [String: Entry]) -> String {
        entries.isEmpty ? "(none)" : entries.keys.sorted().joined(separator: ", ")
    }

    private func cluster(_ entry: Entry, name: String) throws -> FathomConfig.Endpoint {
        let fields = try mapping(
            entry,
            known: [
                "server", "certificate-authority", "certificate-authority-data", "insecure-skip-tls-verify", "tls-server-name",
                "proxy-url", "disable-compression", "extensions",
            ])
        guard let server = fields["server"] else {
            throw ConfigError.invalidValue(
                location: ConfigMapping.location(entry.node, entry.file), key: entry.key + ".server", expected: "the API server's URL",
                got: "none")
        }
        var endpoint = FathomConfig.Endpoint(name: name, url: try EndpointSettings.url(server))
        endpoint.cluster = name
        for field in ["proxy-url", "tls-server-name"] {
            if let value = fields[field], value.isPresent {
                throw ConfigError.invalidValue(
                    location: value.location, key: value.key, expected: "absent: Fathom does not support \(field) yet", got: "set")
            }
        }
        if let skip = fields["insecure-skip-tls-verify"] { endpoint.tls.insecureSkipVerify = try skip.bool() }
        if let data = fields["certificate-authority-data"] {
            endpoint.tls.caPEM = try Self.pem(data)
        } else if let file = fields["certificate-authority"] {
            endpoint.tls.caFile = try ConfigMapping.readableFile(file, home: entry.folder)
        }
        return endpoint
    }

    private func user(_ entry: Entry, into endpoint: inout FathomConfig.Endpoint) throws {
        let fields = try mapping(
            entry,
            known: [
                "token", "tokenFile", "client-certificate", "client-certificate-data", "client-key", "client-key-data", "username",
                "password", "exec", "auth-provider", "as", "as-uid", "as-groups", "as-user-extra", "extensions",
            ])
        if let provider = fields["auth-provider"] {
            throw ConfigError.invalidValue(
                location: provider.location, key: provider.key,
                expected: "an exec plugin instead (auth-provider was removed in Kubernetes 1.26; e.g. gke-gcloud-auth-plugin, kubelogin)",
                got: "an auth-provider")
        }
        for field in ["as", "as-uid", "as-groups", "as-user-extra"] {
            if let value = fields[field] {
                throw ConfigError.invalidValue(
                    location: value.location, key: value.key, expected: "absent: Fathom does not impersonate", got: "set")
            }
        }
        if let certificate = fields["client-certificate-data"] {
            endpoint.tls.certificatePEM = try Self.pem(certificate)
        } else if let file = fields["client-certificate"] {
            endpoint.tls.certificateFile = try ConfigMapping.readableFile(file, home: entry.folder)
        }
        if let key = fields["client-key-data"] {
            endpoint.tls.keyPEM = try Self.pem(key)
        } else if let file = fields["client-key"] {
            endpoint.tls.keyFile = try ConfigMapping.readableFile(file, home: entry.folder)
        }
        let hasCertificate = endpoint.tls.certificatePEM != nil || endpoint.tls.certificateFile != nil
        let hasKey = endpoint.tls.keyPEM != nil || endpoint.tls.keyFile != nil
        guard hasCertificate == hasKey else {
            throw ConfigError.invalidValue(
                location: ConfigMapping.location(entry.node, entry.file), key: entry.key + (hasKey ? ".client-certificate" : ".client-key"),
                expected: "set: a client certificate needs its key and a key its certificate", got: "missing")
        }
        if let token = try fields["token"]?.optionalString() {
            endpoint.auth = .bearer(token)
        } else if let file = fields["tokenFile"] {
            endpoint.auth = .bearerFile(try ConfigMapping.readableFile(file, home: entry.folder))
        } else if let username = fields["username"] {
            guard let password = fields["password"] else {
                throw ConfigError.invalidValue(
                    location: username.location, key: entry.key + ".password", expected: "set with username", got: "missing")
            }
            endpoint.auth = .basic(username: try username.string(), password: try password.string())
        } else if let exec = fields["exec"], case .yaml(let node) = exec.source {
            endpoint.auth = .exec(try self.exec(node, entry: entry, key: exec.key))
        }
    }

    private func exec(_ node: Node, entry: Entry, key: String) throws -> FathomConfig.ExecPlugin {
        let fields = try ConfigMapping.fields(
            node, file: entry.file, key: key,
            known: ["command", "args", "env", "apiVersion", "installHint", "provideClusterInfo", "interactiveMode"],
            expected: "a mapping with command and apiVersion")
        guard let command = fields["command"], let apiVersion = fields["apiVersion"] else {
            throw ConfigError.invalidValue(
                location: ConfigMapping.location(node, entry.file), key: key + (fields["command"] == nil ? ".command" : ".apiVersion"),
                expected: "set", got: "missing")
        }
        let version = try apiVersion.string()
        guard Self.apiVersions.contains(version) else {
            throw ConfigError.invalidValue(
                location: apiVersion.location, key: apiVersion.key, expected: "one of \(Self.apiVersions.joined(separator: ", "))",
                got: "'\(version.prefix(80))'")
        }
        if let mode = fields["interactiveMode"], try mode.string() == "Always" {
            throw ConfigError.invalidValue(
                location: mode.location, key: mode.key, expected: "Never or IfAvailable: Fathom runs plugins without a terminal",
                got: "Always")
        }
        var commandPath = try command.string()
        if commandPath.contains("/") { commandPath = ConfigLoader.absolute(commandPath, from: entry.folder) }
        var plugin = FathomConfig.ExecPlugin(command: commandPath, apiVersion: version)
        if let args = fields["args"], args.isPresent { plugin.arguments = try args.strings() }
        plugin.installHint = try fields["installHint"]?.optionalString()
        if let env = fields["env"], case .yaml(let envNode) = env.source, envNode.null == nil {
            guard case .sequence(let items) = envNode else {
                throw ConfigError.invalidValue(location: env.location, key: env.key, expected: "a list of {name, value}", got: "something else")
            }
            for (index, item) in items.enumerated() {
                let pair = try ConfigMapping.fields(
                    item, file: entry.file, key: "\(env.key)[\(index)]", known: ["name", "value"], expected: "a mapping with name and value")
                guard let name = pair["name"] else {
                    throw ConfigError.invalidValue(
                        location: ConfigMapping.location(item, entry.file), key: "\(env.key)[\(index)].name", expected: "set", got: "missing")
                }
                plugin.environment[try name.string()] = try pair["value"]?.optionalString() ?? ""
            }
        }
        return plugin
    }

    /// Base64 of PEM text, as the `*-data` fields hold.
    static func pem(_ value: ConfigValue) throws -> [UInt8] {
        let text = try value.string().filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: text), data.starts(with: Array("-----BEGIN ".utf8)) else {
            throw ConfigError.invalidValue(
                location: value.location, key: value.key, expected: "base64-encoded PEM data (base64 of '-----BEGIN …')",
                got: "\(text.count) characters that are not")
        }
        return Array(data)
    }

    /// A pod's own ServiceAccount: `KUBERNETES_SERVICE_HOST`/`_PORT`, and `token`, `ca.crt` and `namespace`
    /// in `directory`. The token is re-read when the kubelet rotates it.
    public static func inCluster(name: String, directory: String, environment: [String: String], key: String) throws
        -> FathomConfig.KubeCluster
    {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], let portNumber = Int(port), (1...65535).contains(portNumber)
        else {
            throw ConfigError.invalidValue(
                location: "$KUBERNETES_SERVICE_HOST", key: key,
                expected: "run in a pod: in_cluster needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT", got: "them unset")
        }
        let token = directory + "/token"
        let ca = directory + "/ca.crt"
        for file in [token, ca] where !FileManager.default.isReadableFile(atPath: file) {
            throw ConfigError.unreadable(file: file, reason: "\(key) needs the ServiceAccount's token and ca.crt; is one mounted?")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var endpoint = FathomConfig.Endpoint(name: name, url: "https://\(hostPart):\(portNumber)")
        endpoint.cluster = name
        endpoint.auth = .bearerFile(token)
        endpoint.tls.caFile = ca
        let namespace = (try? String(contentsOfFile: directory + "/namespace", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return FathomConfig.KubeCluster(
            name: name, endpoint: endpoint, namespace: namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default",
            source: "in-cluster ServiceAccount (\(directory))")
    }
}

import Foundation
import Yams

/// Reads the endpoint lists of `tools/observability.yaml`.
///
/// ```yaml
/// prometheus:
///   - name: prod-eu
///     url: https://prometheus.eu.example.com
///     cluster: prod-eu
///     timeout_seconds: 10
///     auth:
///       bearer: {token_file: /var/run/secrets/kubernetes.io/serviceaccount/token}
///       # or basic: {username: grafana, password_env: PROM_PASSWORD}
///     tls: {ca_file: ca.pem, cert_file: client.pem, key_file: client-key.pem}
///     headers: {X-Scope-OrgID: team-a}
/// ```
struct EndpointSettings {
    let environment: [String: String]
    let home: String

    static let fieldNames = ["name", "url", "cluster", "timeout_seconds", "auth", "tls", "headers"]

    func endpoints(_ node: Node, file: String, key: String) throws -> [FathomConfig.Endpoint] {
        guard case .sequence(let items) = node else {
            throw ConfigError.invalidValue(
                location: ConfigMapping.location(node, file), key: key, expected: "a list of endpoints (- name: …, url: …)",
                got: "something else")
        }
        var seen: Set<String> = []
        return try items.enumerated().map { index, item in
            let endpoint = try self.endpoint(item, file: file, key: "\(key)[\(index)]")
            guard seen.insert(endpoint.name).inserted else {
                throw ConfigError.invalidValue(
                    location: ConfigMapping.location(item, file), key: "\(key)[\(index)].name", expected: "a name not used before in \(key)",
                    got: "'\(endpoint.name)' again")
            }
            return endpoint
        }
    }

    private func endpoint(_ node: Node, file: String, key: String) throws -> FathomConfig.Endpoint {
        let fields = try ConfigMapping.fields(
            node, file: file, key: key, known: Self.fieldNames, expected: "a mapping with name and url")
        guard let nameValue = fields["name"], let urlValue = fields["url"] else {
            throw ConfigError.invalidValue(
                location: ConfigMapping.location(node, file), key: key, expected: "both name and url", got: "a field missing")
        }
        let name = try Self.name(nameValue)
        var endpoint = FathomConfig.Endpoint(name: name, url: try Self.url(urlValue))
        if let cluster = fields["cluster"] { endpoint.cluster = try cluster.string() }
        if let timeout = fields["timeout_seconds"] { endpoint.timeoutSeconds = Double(try timeout.int(in: 1...3600)) }
        if let auth = fields["auth"], case .yaml(let authNode) = auth.source {
            endpoint.auth = try self.auth(authNode, file: file, key: auth.key)
        }
        if let tls = fields["tls"], case .yaml(let tlsNode) = tls.source {
            endpoint.tls = try self.tls(tlsNode, file: file, key: tls.key)
        }
        if let headers = fields["headers"], case .yaml(let headersNode) = headers.source {
            endpoint.headers = try self.headers(headersNode, file: file, key: headers.key)
        }
        return endpoint
    }

    /// Extra request headers: names are HTTP tokens, values one line each.
    func headers(_ node: Node, file: String, key: String) throws -> [String: String] {
        let values = try ConfigMapping.fields(node, file: file, key: key, known: nil, expected: "a mapping of header names to values")
        var headers: [String: String] = [:]
        for (header, value) in values {
            guard header.utf8.allSatisfy(Self.isTokenByte), !header.isEmpty else {
                throw ConfigError.invalidValue(
                    location: value.location, key: value.key, expected: "an HTTP header name", got: "'\(header.prefix(80))'")
            }
            let text = try value.string()
            guard !text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                throw ConfigError.invalidValue(
                    location: value.location, key: value.key, expected: "a header value on one line", got: "a line break")
            }
            headers[header] = text
        }
        return headers
    }

    /// Names appear in tool arguments and audit rows: keep them plain.
    static func name(_ value: ConfigValue) throws -> String {
        let name = try value.string()
        let plain = name.utf8.allSatisfy { byte in
            byte < 128 && (Character(Unicode.Scalar(byte)).isLetter || Character(Unicode.Scalar(byte)).isNumber || "-_.".utf8.contains(byte))
        }
        guard name.count <= 64, plain else {
            throw ConfigError.invalidValue(
                location: value.location, key: value.key, expected: "a short name of letters, digits, '-', '_' or '.'",
                got: "'\(name.prefix(80))'")
        }
        return name
    }

    static func url(_ value: ConfigValue) throws -> String {
        let text = try value.string()
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil, components.user == nil
        else {
            throw ConfigError.invalidValue(
                location: value.location, key: value.key,
                expected: "an http:// or https:// URL with a host, no query and no user (put credentials under auth)",
                got: "'\(text.prefix(120))'")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    private func auth(_ node: Node, file: String, key: String) throws -> FathomConfig.EndpointAuth {
        let fields = try ConfigMapping.fields(node, file: file, key: key, known: ["basic", "bearer"], expected: "basic or bearer")
        guard fields.count == 1, let (kind, value) = fields.first, case .yaml(let inner) = value.source else {
            throw ConfigError.invalidValue(
                location: ConfigMapping.location(node, file), key: key, expected: "exactly one of basic or bearer", got: "\(fields.count)")
        }
        if kind == "basic" {
            let basic = try ConfigMapping.fields(
                inner, file: file, key: value.key, known: ["username", "password", "password_env", "password_file"],
                expected: "username and one of password, password_env, password_file")
            guard let username = try basic["username"]?.string() else {
                throw ConfigError.invalidValue(
                    location: ConfigMapping.location(inner, file), key: value.key, expected: "a username", got: "none")
            }
            let password = try ConfigMapping.secret(
                basic, prefix: "password", at: inner, file: file, key: value.key, environment: environment, home: home)
            return .basic(username: username, password: password)
        }
        let bearer = try ConfigMapping.fields(
            inner, file: file, key: value.key, known: ["token", "token_env", "token_file"], expected: "one of token, token_env, token_file")
        if let path = bearer["token_file"], bearer.count == 1 {
            let absolute = ConfigLoader.absolute(try path.string(), from: home)
            _ = try ConfigMapping.fileSecret(path, home: home)  // fail at load, not at the first call
            return .bearerFile(absolute)
        }
        return .bearer(
            try ConfigMapping.secret(bearer, prefix: "token", at: inner, file: file, key: value.key, environment: environment, home: home))
    }

    func tls(_ node: Node, file: String, key: String) throws -> FathomConfig.TLSSettings {
        let fields = try ConfigMapping.fields(
            node, file: file, key: key, known: ["ca_file", "cert_file", "key_file", "insecure_skip_verify"],
            expected: "a mapping of ca_file, cert_file, key_file, insecure_skip_verify")
        var tls = FathomConfig.TLSSettings()
        func readable(_ field: String) throws -> String? {
            try fields[field].map { try ConfigMapping.readableFile($0, home: home) }
        }
        tls.caFile = try readable("ca_file")
        tls.certificateFile = try readable("cert_file")
        tls.keyFile = try readable("key_file")
        if let skip = fields["insecure_skip_verify"] { tls.insecureSkipVerify = try skip.bool() }
        guard (tls.certificateFile == nil) == (tls.keyFile == nil) else {
            throw ConfigError.invalidValue(
                location: ConfigMapping.location(node, file), key: key, expected: "cert_file and key_file together (mTLS)",
                got: "only one of them")
        }
        return tls
    }

    /// RFC 9110 token characters: what a header name and a plain identifier may hold.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "-_.!#$%&'*+^`|~".utf8.contains(byte)
        }
    }
}

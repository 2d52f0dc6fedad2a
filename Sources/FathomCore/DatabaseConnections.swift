import Foundation
import Yams

/// Reads `connections` of `tools/database.yaml`.
///
/// ```yaml
/// connections:
///   - name: app
///     sqlite: data/app.db
///   - name: inventory
///     postgres: {host: 127.0.0.1, port: 5432, database: inventory, user: fathom_ro, password_env: INVENTORY_PASSWORD, tls: prefer}
///     allow_writes: false
/// ```
/// `postgres:` also takes a URL: `postgres://user@host:5432/db?sslmode=require` (the password still goes in
/// `password_env` or `password_file`, beside the URL, so it stays out of the file).
struct DatabaseConnections {
    let environment: [String: String]
    let home: String

    func parse(_ node: Node, file: String) throws -> [FathomConfig.DatabaseConnection] {
        try ConfigMapping.namedItems(
            node, file: file, key: "database.connections", expected: "a list of connections (- name: …, sqlite: … | postgres: …)",
            known: ["name", "sqlite", "postgres", "allow_writes"]
        ).map { item in
            let (name, key, fields) = (item.name, item.key, item.fields)
            var connection: FathomConfig.DatabaseConnection
            switch (fields["sqlite"], fields["postgres"]) {
            case (let sqlite?, nil):
                connection = FathomConfig.DatabaseConnection(name: name, kind: .sqlite)
                connection.path = ConfigLoader.absolute(try sqlite.string(), from: home)
            case (nil, let postgres?):
                connection = FathomConfig.DatabaseConnection(name: name, kind: .postgres)
                if case .yaml(let postgresNode) = postgres.source {
                    try self.postgres(postgresNode, file: file, key: postgres.key, into: &connection)
                }
            default:
                throw ConfigError.invalidValue(
                    location: ConfigMapping.location(item.node, file), key: key, expected: "exactly one of sqlite or postgres", got: "neither or both")
            }
            if let writes = fields["allow_writes"] { connection.allowsWrites = try writes.bool() }
            return connection
        }
    }

    private func postgres(_ node: Node, file: String, key: String, into connection: inout FathomConfig.DatabaseConnection) throws {
        if let url = node.scalar?.string {
            try apply(url: url, at: ConfigValue(node: node, file: file, key: key), to: &connection)
            return
        }
        let known = ["url", "host", "port", "database", "user", "password", "password_env", "password_file", "tls", "ca_file"]
        let fields = try ConfigMapping.fields(node, file: file, key: key, known: known, expected: "a postgres:// URL or a mapping of \(known.joined(separator: ", "))")
        if let url = fields["url"] { try apply(url: try url.string(), at: url, to: &connection) }
        if let host = fields["host"] { connection.host = try host.string() }
        if let port = fields["port"] { connection.port = try port.int(in: 1...65535) }
        if let database = fields["database"] { connection.database = try database.string() }
        if let user = fields["user"] { connection.user = try user.string() }
        if ["password", "password_env", "password_file"].contains(where: { fields[$0] != nil }) {
            connection.password = try ConfigMapping.secret(
                fields, prefix: "password", at: node, file: file, key: key, environment: environment, home: home)
        }
        if let tls = fields["tls"] {
            guard let mode = FathomConfig.DatabaseConnection.TLSMode(rawValue: try tls.string()) else {
                throw ConfigError.invalidValue(location: tls.location, key: tls.key, expected: "disable, prefer or require", got: "'\(try tls.string())'")
            }
            connection.tls = mode
        }
        if let ca = fields["ca_file"] { connection.caFile = try ConfigMapping.readableFile(ca, home: home) }
    }

    /// `postgres://user@host:port/database?sslmode=disable|prefer|require`. A password in the URL is refused:
    /// config files get shared, and the password belongs in `password_env` or `password_file`.
    private func apply(url text: String, at value: ConfigValue, to connection: inout FathomConfig.DatabaseConnection) throws {
        func invalid(_ expected: String) -> ConfigError {
            .invalidValue(location: value.location, key: value.key, expected: expected, got: "'\(Redactor().redact(String(text.prefix(120))))'")
        }
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw invalid("a postgres://user@host:port/database URL")
        }
        guard components.password == nil else { throw invalid("a URL without a password (use password_env or password_file)") }
        if let host = components.host, !host.isEmpty { connection.host = host }
        if let port = components.port {
            guard (1...65535).contains(port) else { throw invalid("a port from 1 to 65535") }
            connection.port = port
        }
        if let user = components.user, !user.isEmpty { connection.user = user }
        let database = String(components.path.drop(while: { $0 == "/" }))
        if !database.isEmpty { connection.database = database }
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode", let mode = item.value else { throw invalid("a URL whose only parameter is sslmode") }
            switch mode {
            case "disable": connection.tls = .disable
            case "prefer", "allow": connection.tls = .prefer
            case "require", "verify-ca", "verify-full": connection.tls = .require
            default: throw invalid("sslmode disable, prefer or require")
            }
        }
    }
}

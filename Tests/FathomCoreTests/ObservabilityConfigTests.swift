import FathomCore
import Foundation
import Testing

@Suite struct ObservabilityConfigTests {
    func home(_ files: [String: String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-obs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/tools", withIntermediateDirectories: true)
        for (path, content) in files {
            try content.write(toFile: directory + "/" + path, atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test func endpointsWithAuthTLSHeadersAndGroups() throws {
        let dir = try home(["token": "file-token\n", "ca.pem": "x", "c.pem": "x", "k.pem": "x"])
        try """
            prometheus:
              - name: eu
                url: https://prom.eu.example.com/
                cluster: prod-eu
                timeout_seconds: 5
                auth: {basic: {username: grafana, password_env: PROM_PW}}
                tls: {ca_file: ca.pem, cert_file: c.pem, key_file: k.pem}
              - name: us
                url: http://127.0.0.1:9090/prometheus
                auth: {bearer: {token_file: token}}
            loki:
              - name: logs
                url: http://loki:3100
                headers: {X-Scope-OrgID: team-a}
            cluster_groups:
              prod: [prod-eu, prod-us]
            max_series: 7
            """.write(toFile: dir + "/tools/observability.yaml", atomically: true, encoding: .utf8)
        let config = try ConfigLoader(environment: ["PROM_PW": "pw-from-env"]).load(home: dir)
        let eu = try #require(config.observability.prometheus.first)
        #expect(eu.url == "https://prom.eu.example.com" && eu.cluster == "prod-eu" && eu.timeoutSeconds == 5)
        #expect(eu.auth == .basic(username: "grafana", password: "pw-from-env"))
        #expect(eu.tls.caFile == dir + "/ca.pem" && eu.tls.certificateFile == dir + "/c.pem" && eu.tls.keyFile == dir + "/k.pem")
        #expect(config.observability.prometheus[1].auth == .bearerFile(dir + "/token"))
        #expect(config.observability.loki.first?.headers == ["X-Scope-OrgID": "team-a"])
        #expect(config.observability.clusterGroups == ["prod": ["prod-eu", "prod-us"]])
        #expect(config.observability.maxSeries == 7)
        // Secrets never print.
        #expect(!"\(eu.auth)".contains("pw-from-env"))
    }

    @Test func environmentURLAddsADefaultEndpoint() throws {
        let config = try ConfigLoader(environment: ["FATHOM_OBSERVABILITY_PROMETHEUS_URL": "http://127.0.0.1:9090"]).load(home: try home([:]))
        #expect(config.observability.prometheus.map(\.name) == ["default"])
        #expect(config.observability.prometheus.first?.url == "http://127.0.0.1:9090")
    }

    @Test(arguments: [
        ("prometheus:\n  - {name: a, url: 'http://x', headers: {'Bad Header': v}}\n", "an HTTP header name"),
        ("prometheus:\n  - {name: a, url: 'http://x', headers: {X-A: \"v\\r\\nInjected: 1\"}}\n", "a header value on one line"),
        ("prometheus:\n  - {name: a, url: 'http://x', auth: {basic: {username: u}}}\n", "exactly one of password, password_env, password_file"),
        ("prometheus:\n  - {name: a, url: 'http://x', auth: {basic: {username: u, password: p}, bearer: {token: t}}}\n", "exactly one of basic or bearer"),
        ("prometheus:\n  - {name: a, url: 'http://x', tls: {ca_file: /no/such/ca.pem}}\n", "/no/such/ca.pem"),
        ("prometheus:\n  - {name: a, url: 'http://x?query=up'}\n", "no query"),
        ("cluster_groups: {prod: []}\n", "a non-empty list of clusters"),
    ])
    func invalidEndpointConfigIsRefusedWithItsLocation(yaml: String, expected: String) throws {
        let dir = try home([:])
        try yaml.write(toFile: dir + "/tools/observability.yaml", atomically: true, encoding: .utf8)
        let error = #expect(throws: ConfigError.self) { try ConfigLoader(environment: [:]).load(home: dir) }
        #expect(error?.description.contains(expected) == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("observability.yaml") == true || expected.hasPrefix("/no/such"))
    }

    @Test func databaseConnectionsFromMappingsAndURLs() throws {
        let dir = try home([:])
        try """
            connections:
              - name: app
                sqlite: data/app.db
              - name: inventory
                postgres: {host: db.internal, port: 6543, database: inv, user: ro, password_env: INV_PW, tls: require}
                allow_writes: true
              - name: url
                postgres: postgres://reader@10.0.0.5:5433/metrics?sslmode=disable
            max_rows: 50
            """.write(toFile: dir + "/tools/database.yaml", atomically: true, encoding: .utf8)
        let config = try ConfigLoader(environment: ["INV_PW": "pw"]).load(home: dir)
        let connections = config.database.connections
        #expect(connections.map(\.name) == ["app", "inventory", "url"])
        #expect(connections[0].kind == .sqlite && connections[0].path == dir + "/data/app.db")
        #expect(connections[1].host == "db.internal" && connections[1].port == 6543 && connections[1].database == "inv")
        #expect(connections[1].password == "pw" && connections[1].tls == .require && connections[1].allowsWrites)
        #expect(connections[2].user == "reader" && connections[2].port == 5433 && connections[2].database == "metrics")
        #expect(connections[2].tls == .disable && !connections[2].allowsWrites)
        #expect(config.database.maxRows == 50)
    }

    @Test func aPasswordInAPostgresURLIsRefusedAndNotEchoed() throws {
        let dir = try home([:])
        try "connections:\n  - {name: a, postgres: 'postgres://u:hunter2secret@h/db'}\n"
            .write(toFile: dir + "/tools/database.yaml", atomically: true, encoding: .utf8)
        let error = #expect(throws: ConfigError.self) { try ConfigLoader(environment: [:]).load(home: dir) }
        #expect(error?.description.contains("without a password") == true)
        #expect(error?.description.contains("hunter2secret") == false)
    }
}

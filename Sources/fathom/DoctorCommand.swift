import ArgumentParser
import FathomCore
import FathomTools
import Foundation

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Show what is configured and whether each part is reachable.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        print("fathom \(FathomCommand.version)")
        let runtime: Runtime
        do {
            runtime = try await Runtime(options: options)
        } catch {
            print("config   FAIL \(error)")
            throw ExitCode(1)
        }
        var failures = 0
        let config = runtime.config
        print("home     \(config.home)")
        print("config   ok \(config.sources.isEmpty ? "embedded defaults" : config.sources.joined(separator: ", "))")
        do {
            try await runtime.store.checkReachable()
            print("store    ok \(await runtime.store.summary)")
        } catch {
            failures += 1
            print("store    FAIL \(error)")
        }
        let roots = runtime.filesystem.configuredRoots
        if roots.isEmpty {
            failures += 1
            print("files    FAIL no allowed directory exists (filesystem.roots: \(config.filesystem.roots.joined(separator: ", ")))")
        } else {
            print("files    ok roots \(roots.joined(separator: ", ")); deny \(config.filesystem.deny.joined(separator: ", "))")
        }
        let listed = runtime.registry.descriptors(client: "cli").count
        print("policy   \(config.policy.readOnly ? "read-only" : "writes allowed"); \(listed) of \(runtime.registry.allDescriptors.count) tools callable")
        print("prompts  \(runtime.prompts.prompts.count) loaded" + (runtime.prompts.problems.isEmpty ? "" : "; problems: \(runtime.prompts.problems.joined(separator: "; "))"))
        let http = config.http
        var auth: [String] = []
        if !http.tokens.isEmpty { auth.append("\(http.tokens.count) bearer token(s): \(http.tokens.map(\.client).joined(separator: ", "))") }
        if let jwt = http.jwt { auth.append("JWT from \(jwt.issuer) for audience \(jwt.audience), client claim \(jwt.clientClaim)") }
        if !http.isLoopback && !http.requiresAuth {
            failures += 1
            print("http     FAIL \(http.host):\(http.port) is not loopback and no http.tokens or http.jwt is configured")
        } else {
            print("http     \(http.host):\(http.port)\(http.stateless ? " stateless" : ""); auth: \(auth.isEmpty ? "none (loopback only)" : auth.joined(separator: "; "))")
        }
        failures += await checkEndpoints(runtime)
        failures += await checkDatabases(runtime)
        failures += await checkClusters(runtime)
        failures += await checkModels(runtime)
        for server in runtime.external.statuses {
            if let problem = server.problem {
                failures += 1
                print("external FAIL \(server.name): \(problem)")
            } else {
                print("external ok \(server.name): \(server.tools) tools, offered as \(server.name)__TOOL")
            }
        }
        let agents = runtime.agents.agents
        print("agents   \(agents.count) loaded" + (agents.isEmpty ? " (add YAML files under agents/)" : ": " + agents.map { "\($0.name) (\($0.kind.rawValue))" }.joined(separator: ", ")))
        if failures > 0 { throw ExitCode(1) }
    }

    /// One request per endpoint, with its credentials and TLS, as a tool would send it.
    private func checkEndpoints(_ runtime: Runtime) async -> Int {
        var failures = 0
        for client in runtime.observability.allClients {
            let endpoint = client.endpoint
            let label = "\(client.kind) '\(endpoint.name)' \(endpoint.url)" + (endpoint.cluster.map { " cluster \($0)" } ?? "")
            let start = ContinuousClock.now
            do {
                let what = try await EndpointProbe.check(client)
                print("obs      ok \(label): \(what) (\(Self.milliseconds(since: start)) ms)")
            } catch {
                failures += 1
                print("obs      FAIL \(label): \(error)")
            }
        }
        return failures
    }

    /// Each database answers a read-only question; PostgreSQL also says whether Fathom's role is a superuser.
    private func checkDatabases(_ runtime: Runtime) async -> Int {
        var failures = 0
        for connection in runtime.config.database.connections {
            do {
                let database = try runtime.databases.database(connection.name)
                let tables = try await database.listTables()
                var line = "db       ok \(connection.name) (\(connection.kind.rawValue)) \(tables.count) tables and views"
                    + (connection.allowsWrites ? ", writes allowed" : ", read-only")
                if connection.kind == .postgres {
                    let role = try await database.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", maxRows: 1)
                    if role.rows.first?.first == .bool(true) {
                        line += "; warning: user \(connection.user) is a superuser, give Fathom a role without it"
                    }
                }
                print(line)
            } catch {
                failures += 1
                print("db       FAIL \(connection.name) (\(connection.kind.rawValue)): \(error)")
            }
        }
        return failures
    }

    /// Each cluster's version, and what its identity may do (SelfSubjectAccessReview).
    private func checkClusters(_ runtime: Runtime) async -> Int {
        var failures = 0
        for client in runtime.clusters.all {
            let label = "'\(client.name)' \(client.cluster.endpoint.url) (\(client.cluster.source))"
            let start = ContinuousClock.now
            do {
                let report = try await KubeProbe.check(client)
                var line = "cluster  ok \(label): Kubernetes \(report.version) (\(Self.milliseconds(since: start)) ms); namespace \(client.cluster.namespace)"
                line += "; may: \(report.allowed.isEmpty ? "nothing checked" : report.allowed.joined(separator: ", "))"
                if !report.denied.isEmpty { line += "; may not: \(report.denied.joined(separator: ", "))" }
                if client.cluster.endpoint.tls.insecureSkipVerify { line += "; warning: insecure-skip-tls-verify" }
                print(line)
            } catch {
                failures += 1
                print("cluster  FAIL \(label): \(error)")
            }
        }
        return failures
    }

    private func checkModels(_ runtime: Runtime) async -> Int {
        let models = runtime.config.llm.ordered
        guard !models.isEmpty else {
            print("llm      none configured (agents answer on their deterministic paths)")
            return 0
        }
        var failures = 0
        for (model, slot) in zip(models, runtime.agents.router.slots) {
            let label = "\(model.name) (\(model.provider.rawValue) \(model.url), model \(model.model))"
            let start = ContinuousClock.now
            do {
                print("llm      ok \(label): \(try await slot.model.check()) (\(Self.milliseconds(since: start)) ms)")
            } catch {
                failures += 1
                print("llm      FAIL \(label): \(error)")
            }
        }
        return failures
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}

import FathomCore
import Foundation
import Synchronization
import Testing

@testable import FathomTools

/// The fixture Kubernetes API server (Tests/interop/fixtures/kube_api_server.py; no real API server can
/// run here), over HTTPS with a CA made by openssl for this test, accepting a bearer token or a client
/// certificate.
final class KubeFixtureServer: @unchecked Sendable {
    // @unchecked: the fields are set once in init.
    static let token = "fixture-token-0123456789"
    let folder: String
    let url: String
    private let process: Process

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-kube-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.makeCertificates(in: folder)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("interop/fixtures/kube_api_server.py").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            script, "--port", "0", "--tls-cert", folder + "/server.crt", "--tls-key", folder + "/server.key", "--token", Self.token,
            "--client-ca", folder + "/ca.crt",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
            line.append(first)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6)) else {
            process.terminate()
            throw POSIXError(.ECONNREFUSED)
        }
        url = "https://127.0.0.1:\(port)"
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    func file(_ name: String) throws -> String {
        try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
    }

    private static func makeCertificates(in folder: String) throws {
        func openssl(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw POSIXError(.EIO) }
        }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + ec + ["-days", "2", "-subj", "/CN=fathom-test-ca", "-keyout", "ca.key", "-out", "ca.crt"])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n".write(toFile: folder + "/server.ext", atomically: true, encoding: .utf8)
        try "extendedKeyUsage=clientAuth\n".write(toFile: folder + "/client.ext", atomically: true, encoding: .utf8)
        for name in ["server", "client"] {
            try openssl(["req"] + ec + ["-subj", "/CN=fathom-test-\(name)", "-keyout", "\(name).key", "-out", "\(name).csr"])
            try openssl([
                "x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", "\(name).ext",
                "-out", "\(name).crt",
            ])
        }
    }
}

@Suite(.serialized) struct ClusterToolsTests {
    static let crashing = "checkout-7d9f8b6c5-x2x7q"

    func registry(_ clusters: [FathomConfig.KubeCluster], denied: [String] = ["secrets"], policy: FathomConfig.PolicySettings = .init()) throws
        -> ToolRegistry
    {
        var settings = FathomConfig.ClusterSettings()
        settings.clusters = clusters
        settings.deniedResources = denied
        return ToolRegistry(tools: ClusterToolset.tools(try KubeClusters(settings: settings)), policy: Policy(policy), audit: nil)
    }

    func call(_ registry: ToolRegistry, _ name: String, _ arguments: JSONValue, context: ToolContext = ToolContext(client: "test")) async
        -> ToolResult
    {
        guard case .result(let result) = await registry.call(name, arguments: arguments, context: context) else { return .error("no result") }
        return result
    }

    /// A kubeconfig for the fixture with the given user, resolved as the config loader would.
    func cluster(_ server: KubeFixtureServer, user: String, environment: [String: String] = [:]) throws -> FathomConfig.KubeCluster {
        let path = server.folder + "/kubeconfig-\(UUID().uuidString)"
        try """
            current-context: fixture
            clusters: [{name: fixture, cluster: {server: '\(server.url)', certificate-authority: ca.crt}}]
            users: [{name: me, user: \(user)}]
            contexts: [{name: fixture, context: {cluster: fixture, user: me, namespace: shop}}]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return try KubeConfigFile(paths: [path]).resolve(name: "fixture", context: nil)
    }

    func expectShopPods(_ registry: ToolRegistry, _ comment: Comment) async {
        let result = await call(registry, "pods_list", ["namespace": "shop"])
        #expect(!result.isError, comment)
        #expect(result.text.contains(Self.crashing) && result.text.contains("CrashLoopBackOff"), comment)
        let items = result.structured?["items"]?.arrayValue ?? []
        #expect(items.count == 8, comment)
        #expect(items.first { $0["name"]?.stringValue == "payment-5c6d7e8f9-abcde" }?["problem"]?.stringValue?.contains("OOMKilled") == true, comment)
    }

    @Test func everyAuthModeReachesTheAPIServer() async throws {
        let server = try KubeFixtureServer()
        defer { server.stop() }
        await expectShopPods(try registry([try cluster(server, user: "{token: \(KubeFixtureServer.token)}")]), "token with a CA file")
        let data = { (name: String) in Data(try server.file(name).utf8).base64EncodedString() }
        await expectShopPods(
            try registry([try cluster(server, user: "{client-certificate-data: \(try data("client.crt")), client-key-data: \(try data("client.key"))}")]),
            "inline client certificate")
        await expectShopPods(try registry([try cluster(server, user: "{client-certificate: client.crt, client-key: client.key}")]), "client certificate files")

        let plugin = server.folder + "/plugin.sh"
        let runs = server.folder + "/plugin-runs"
        try """
            #!/bin/sh
            echo "$KUBERNETES_EXEC_INFO" >> \(runs)
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"2099-01-01T00:00:00Z"}}' "$FIXTURE_TOKEN"
            """.write(toFile: plugin, atomically: true, encoding: .utf8)
        chmod(plugin, 0o755)
        let exec = try registry([
            try cluster(
                server,
                user: "{exec: {apiVersion: client.authentication.k8s.io/v1, command: \(plugin), env: [{name: FIXTURE_TOKEN, value: \(KubeFixtureServer.token)}]}}")
        ])
        await expectShopPods(exec, "exec plugin")
        await expectShopPods(exec, "exec plugin, second call")
        let info = try String(contentsOfFile: runs, encoding: .utf8).split(separator: "\n")
        #expect(info.count == 1, "an unexpired credential is reused")
        #expect(info.first?.contains(#""interactive":false"#) == true && info.first?.contains("ExecCredential") == true)

        let account = server.folder + "/sa"
        try FileManager.default.createDirectory(atPath: account, withIntermediateDirectories: true)
        try "wrong-token\n".write(toFile: account + "/token", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: server.folder + "/ca.crt", toPath: account + "/ca.crt")
        try "shop\n".write(toFile: account + "/namespace", atomically: true, encoding: .utf8)
        let port = String(server.url.split(separator: ":").last ?? "")
        let inCluster = try registry([
            try KubeConfigFile.inCluster(
                name: "here", directory: account, environment: ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": port], key: "t")
        ])
        let refused = await call(inCluster, "pods_get", ["name": .string(Self.crashing)])
        #expect(refused.isError && refused.text.contains("401") && !refused.text.contains("wrong-token"), "\(refused.text)")
        try "\(KubeFixtureServer.token)\n".write(toFile: account + "/token", atomically: true, encoding: .utf8)
        let rotated = await call(inCluster, "pods_get", ["name": .string(Self.crashing)])
        #expect(!rotated.isError && rotated.text.contains("Pod shop/\(Self.crashing)"), "the rotated token is read and the SA namespace used")
    }

    @Test func refusalsAndFailuresAreClearErrors() async throws {
        let server = try KubeFixtureServer()
        defer { server.stop() }
        let tools = try registry([try cluster(server, user: "{token: \(KubeFixtureServer.token)}")], denied: [])
        let forbidden = await call(tools, "resources_list", ["resource": "secrets", "namespace": "kube-system"])
        #expect(forbidden.isError && forbidden.text.contains("HTTP 403, RBAC") && forbidden.text.contains("secrets"), "\(forbidden.text)")
        let secret = await call(tools, "resources_get", ["resource": "secret", "name": "payment-credentials", "namespace": "shop"])
        #expect(!secret.isError && secret.text.contains(Redactor.mask), "\(secret.text)")
        let data = secret.structured?["data"]?.objectValue ?? [:]
        #expect(!data.isEmpty && data.values.allSatisfy { $0.stringValue?.hasPrefix(Redactor.mask) == true })

        let denied = await call(try registry([try cluster(server, user: "{token: \(KubeFixtureServer.token)}")]), "resources_get", ["resource": "Secret", "name": "payment-credentials"])
        #expect(denied.isError && denied.text.contains("denied_resources"))
        let missing = await call(tools, "pods_get", ["name": "no-such-pod", "namespace": "shop"])
        #expect(missing.isError && missing.text.contains("not found") && missing.text.contains("no-such-pod"))
        let unknown = await call(tools, "resources_list", ["resource": "gizmos"])
        #expect(unknown.isError && unknown.text.contains("serves no resource called 'gizmos'"))
        let noCluster = await call(tools, "pods_list", ["cluster": "elsewhere"])
        #expect(noCluster.isError && noCluster.text.contains("Configured: fixture"))
        let badToken = await call(try registry([try cluster(server, user: "{token: not-the-token}")]), "namespaces_list", [:])
        #expect(badToken.isError && badToken.text.contains("401") && !badToken.text.contains("not-the-token"))

        let failingPlugin = server.folder + "/failing.sh"
        try "#!/bin/sh\necho 'login expired: run cloud auth login' >&2\nexit 3\n".write(toFile: failingPlugin, atomically: true, encoding: .utf8)
        chmod(failingPlugin, 0o755)
        let pluginError = await call(
            try registry([try cluster(server, user: "{exec: {apiVersion: client.authentication.k8s.io/v1, command: \(failingPlugin)}}")]),
            "namespaces_list", [:])
        #expect(pluginError.isError && pluginError.text.contains("exited with status 3") && pluginError.text.contains("run cloud auth login"))

        var untrusting = try cluster(server, user: "{token: \(KubeFixtureServer.token)}")
        untrusting.endpoint.tls = .init()
        let tls = await call(try registry([untrusting]), "namespaces_list", [:])
        #expect(tls.isError && tls.text.contains("TLS failed"), "\(tls.text)")
    }

    @Test func destructiveCallsAskForApprovalUnlessDryRun() async throws {
        let server = try KubeFixtureServer()
        defer { server.stop() }
        var policy = FathomConfig.PolicySettings()
        let refused = try registry([try cluster(server, user: "{token: \(KubeFixtureServer.token)}")], policy: policy)
        let readOnly = await call(refused, "pods_delete", ["name": "postgres-0", "namespace": "shop"])
        #expect(readOnly.isError && readOnly.text.contains("read-only"))

        policy.readOnly = false
        policy.allow = ["pods_delete", "workloads_scale"]
        let tools = try registry([try cluster(server, user: "{token: \(KubeFixtureServer.token)}")], policy: policy)
        let asked = Mutex<[String]>([])
        let decline = ToolContext(client: "test", approve: { message in
            asked.withLock { $0.append(message) }
            return .declined("the user declined it")
        })
        let declined = await call(tools, "pods_delete", ["name": "postgres-0", "namespace": "shop"], context: decline)
        #expect(declined.isError && declined.text.contains("pods_delete was not run: the user declined it"))
        #expect(asked.withLock { $0 }.first?.contains("postgres-0") == true)
        #expect(!(await call(tools, "pods_get", ["name": "postgres-0", "namespace": "shop"])).isError, "the pod is still there")

        let dryRun = await call(tools, "workloads_scale", ["kind": "deployments", "name": "frontend", "namespace": "shop", "replicas": 5, "dry_run": true], context: decline)
        #expect(!dryRun.isError && dryRun.text.contains("from 2 to 5") && dryRun.text.contains("dry run"), "\(dryRun.text)")
        #expect(asked.withLock { $0 }.count == 1, "a dry run is not put to the user")

        let approve = ToolContext(client: "test", approve: { _ in .approved })
        let scaled = await call(tools, "workloads_scale", ["kind": "deployments", "name": "frontend", "namespace": "shop", "replicas": 3], context: approve)
        #expect(!scaled.isError && scaled.text.contains("from 2 to 3"))
        let after = await call(tools, "workloads_get", ["kind": "deployments", "name": "frontend", "namespace": "shop"])
        #expect(after.structured?["desired"]?.intValue == 3)
        let deleted = await call(tools, "pods_delete", ["name": "postgres-0", "namespace": "shop"], context: approve)
        #expect(!deleted.isError && deleted.text.contains("StatefulSet/postgres will replace it"), "\(deleted.text)")
        #expect((await call(tools, "pods_get", ["name": "postgres-0", "namespace": "shop"])).isError)
    }
}

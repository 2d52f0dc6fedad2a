import FathomCore
import Foundation
import Testing

@Suite struct KubeConfigTests {
    static let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    static let pemData = Data(pem.utf8).base64EncodedString()

    func folder(_ files: [String: String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-kube-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/tools", withIntermediateDirectories: true)
        for (path, content) in files {
            try content.write(toFile: directory + "/" + path, atomically: true, encoding: .utf8)
        }
        return directory
    }

    /// A kubeconfig with one context, `ctx`, whose cluster and user are given as YAML mappings.
    func kubeconfig(cluster: String, user: String, extra: String = "") -> String {
        """
        apiVersion: v1
        kind: Config
        current-context: ctx
        clusters:
          - name: c
            cluster: \(cluster)
        users:
          - name: u
            user: \(user)
        contexts:
          - name: ctx
            context: {cluster: c, user: u, namespace: shop}
        \(extra)
        """
    }

    func load(_ files: [String: String], environment: [String: String] = [:]) throws -> FathomConfig {
        let dir = try folder(files)
        return try ConfigLoader(environment: environment).load(home: dir)
    }

    func error(_ files: [String: String], environment: [String: String] = [:]) -> String {
        do {
            _ = try load(files, environment: environment)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func aContextResolvesToServerCredentialsTLSAndNamespace() throws {
        let config = try load([
            "ca.pem": Self.pem, "token": "tok-from-file\n",
            "kube": kubeconfig(cluster: "{server: 'https://10.0.0.1:6443', certificate-authority: ca.pem}", user: "{tokenFile: token}"),
            "tools/cluster.yaml": "clusters:\n  - {name: prod, kubeconfig: kube}\n",
        ])
        let cluster = try #require(config.cluster.clusters.first)
        #expect(cluster.name == "prod" && cluster.namespace == "shop")
        #expect(cluster.endpoint.url == "https://10.0.0.1:6443")
        #expect(cluster.endpoint.tls.caFile?.hasSuffix("/ca.pem") == true, "relative to the kubeconfig's folder")
        #expect(cluster.endpoint.auth == .bearerFile(cluster.endpoint.tls.caFile!.replacingOccurrences(of: "ca.pem", with: "token")))
        #expect(cluster.source.contains("context ctx"))
        #expect(config.cluster.deniedResources == ["secrets"])
    }

    @Test func inlineCertificatesAreDecoded() throws {
        let config = try load([
            "kube": kubeconfig(
                cluster: "{server: 'https://k8s.example.com', certificate-authority-data: \(Self.pemData)}",
                user: "{client-certificate-data: \(Self.pemData), client-key-data: \(Self.pemData)}"),
            "tools/cluster.yaml": "clusters:\n  - {name: a, kubeconfig: kube}\n",
        ])
        let cluster = try #require(config.cluster.clusters.first)
        #expect(cluster.endpoint.tls.caPEM == Array(Self.pem.utf8))
        #expect(cluster.endpoint.tls.certificatePEM == Array(Self.pem.utf8) && cluster.endpoint.tls.keyPEM == Array(Self.pem.utf8))
        #expect(cluster.endpoint.auth == .none)
    }

    @Test func execPluginsAreRead() throws {
        let text = """
            current-context: cloud
            clusters: [{name: c, cluster: {server: 'https://k8s.example.com'}}]
            contexts: [{name: cloud, context: {cluster: c, user: cloud}}]
            users:
              - name: cloud
                user:
                  exec:
                    apiVersion: client.authentication.k8s.io/v1beta1
                    command: ./plugin.sh
                    args: [--cluster, prod]
                    env: [{name: REGION, value: eu}]
                    installHint: install the plugin
                    interactiveMode: Never
            """
        let config = try load(["kube": text, "tools/cluster.yaml": "clusters:\n  - {name: a, kubeconfig: kube}\n"])
        guard case .exec(let plugin) = try #require(config.cluster.clusters.first).endpoint.auth else {
            Issue.record("not an exec plugin")
            return
        }
        #expect(plugin.command.hasSuffix("/plugin.sh") && plugin.command.hasPrefix("/"))
        #expect(plugin.arguments == ["--cluster", "prod"] && plugin.environment == ["REGION": "eu"])
        #expect(plugin.apiVersion == "client.authentication.k8s.io/v1beta1" && plugin.installHint == "install the plugin")
    }

    @Test func severalFilesMergeWithTheFirstWinning() throws {
        let dir = try folder([
            "a": "current-context: one\nclusters: [{name: c, cluster: {server: 'https://first'}}]\ncontexts: [{name: one, context: {cluster: c}}]\n",
            "b": "current-context: two\nclusters: [{name: c, cluster: {server: 'https://second'}}, {name: d, cluster: {server: 'https://d'}}]\n"
                + "contexts: [{name: two, context: {cluster: d}}]\n",
        ])
        let merged = try KubeConfigFile(paths: [dir + "/a", dir + "/b"])
        #expect(try merged.resolve(name: "x", context: nil).endpoint.url == "https://first")
        #expect(try merged.resolve(name: "x", context: "two").endpoint.url == "https://d")
        #expect(KubeConfigFile.defaultPaths(environment: ["KUBECONFIG": "\(dir)/a:\(dir)/missing:\(dir)/b", "HOME": dir]) == [dir + "/a", dir + "/b"])
        #expect(KubeConfigFile.defaultPaths(environment: ["HOME": dir]) == [dir + "/.kube/config"])
    }

    @Test func malformedKubeconfigsNameTheField() {
        let tools = ["tools/cluster.yaml": "clusters:\n  - {name: a, kubeconfig: kube}\n"]
        func kube(_ text: String) -> String { error(tools.merging(["kube": text]) { $1 }) }
        #expect(kube("clusters: [oops").contains("YAML syntax error"))
        #expect(kube(kubeconfig(cluster: "{insecure-skip-tls-verify: true}", user: "{}")).contains("clusters[c].cluster.server"))
        #expect(kube(kubeconfig(cluster: "{server: 'https://x'}", user: "{client-key-data: 'not base64!', client-certificate-data: \(Self.pemData)}"))
            .contains("users[u].user.client-key-data"))
        #expect(kube(kubeconfig(cluster: "{server: 'https://x'}", user: "{client-certificate-data: \(Self.pemData)}")).contains("client-key"))
        #expect(kube(kubeconfig(cluster: "{server: 'ftp://x'}", user: "{}")).contains("clusters[c].cluster.server"))
        #expect(kube(kubeconfig(cluster: "{server: 'https://x'}", user: "{auth-provider: {name: gcp}}")).contains("auth-provider"))
        #expect(kube(kubeconfig(cluster: "{server: 'https://x', proxy-url: 'http://p'}", user: "{}")).contains("proxy-url"))
        #expect(kube(kubeconfig(cluster: "{server: 'https://x'}", user: "{as: admin}")).contains("impersonate"))
        #expect(kube(kubeconfig(cluster: "{server: 'https://x'}", user: "{exec: {command: x, apiVersion: client.authentication.k8s.io/v1alpha1}}"))
            .contains("users[u].user.exec.apiVersion"))
        #expect(kube(kubeconfig(cluster: "{server: 'https://x'}", user: "{exec: {apiVersion: client.authentication.k8s.io/v1}}"))
            .contains("exec.command"))
        #expect(kube(kubeconfig(cluster: "{server: 'https://x', certificate-authority: missing.pem}", user: "{}")).contains("missing.pem"))
        let noCurrent = kube("clusters: [{name: c, cluster: {server: 'https://x'}}]\ncontexts: [{name: a, context: {cluster: c}}, {name: b, context: {cluster: c}}]\n")
        #expect(noCurrent.contains("current-context") && noCurrent.contains("a, b"))
        let unknownContext = kube("current-context: nope\ncontexts: [{name: a, context: {cluster: c}}]\nclusters: [{name: c, cluster: {server: 'https://x'}}]\n")
        #expect(unknownContext.contains("'nope'") && unknownContext.contains("contexts are: a"))
        #expect(kube("current-context: a\ncontexts: [{name: a, context: {cluster: gone}}]\n").contains("contexts[a].context.cluster"))
        #expect(kube("current-context: a\ncontexts: [{name: a, context: {cluster: c, user: gone}}]\nclusters: [{name: c, cluster: {server: 'https://x'}}]\n")
            .contains("users are: (none)"))
        #expect(kube("clusters: {c: 1}\n").contains("clusters"))
        #expect(kube("- a\n- b\n").contains("a mapping with clusters"))
    }

    @Test func clusterEntriesAreChecked() throws {
        let kube = kubeconfig(cluster: "{server: 'https://x'}", user: "{token: t}")
        #expect(error(["kube": kube, "tools/cluster.yaml": "clusters:\n  - {kubeconfig: kube}\n"]).contains("cluster.clusters[0].name"))
        #expect(error(["kube": kube, "tools/cluster.yaml": "clusters:\n  - {name: a, kubeconfig: kube}\n  - {name: a, kubeconfig: kube}\n"])
            .contains("'a' again"))
        #expect(error(["kube": kube, "tools/cluster.yaml": "clusters:\n  - {name: a, kubeconfig: kube, in_cluster: true}\n"])
            .contains("cluster.clusters[0].kubeconfig"))
        #expect(error(["kube": kube, "tools/cluster.yaml": "clusters:\n  - {name: a, kubeconfig: kube, colour: red}\n"]).contains("colour"))
        #expect(error(["kube": kube, "tools/cluster.yaml": "clusters:\n  - {name: a, kubeconfig: kube, context: nope}\n"]).contains("'nope'"))
        #expect(error(["tools/cluster.yaml": "clusters:\n  - {name: here, in_cluster: true}\n"]).contains("KUBERNETES_SERVICE_HOST"))
        #expect(error(["tools/cluster.yaml": "denied_resources: secrets\n"]).contains("cluster.denied_resources"))
    }

    @Test func inClusterReadsTheServiceAccount() throws {
        let dir = try folder(["sa-token": "x"])
        try FileManager.default.createDirectory(atPath: dir + "/sa", withIntermediateDirectories: true)
        for (file, text) in ["token": "jwt\n", "ca.crt": Self.pem, "namespace": "shop\n"] {
            try text.write(toFile: dir + "/sa/" + file, atomically: true, encoding: .utf8)
        }
        try "clusters:\n  - {name: here, in_cluster: true, service_account_dir: sa}\n"
            .write(toFile: dir + "/tools/cluster.yaml", atomically: true, encoding: .utf8)
        let config = try ConfigLoader(environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"]).load(home: dir)
        let cluster = try #require(config.cluster.clusters.first)
        #expect(cluster.endpoint.url == "https://[fd00::1]:443" && cluster.namespace == "shop")
        #expect(cluster.endpoint.auth == .bearerFile(dir + "/sa/token") && cluster.endpoint.tls.caFile == dir + "/sa/ca.crt")
        #expect(cluster.source.contains("in-cluster"))
    }

    @Test func theEnvironmentNamesADefaultCluster() throws {
        let dir = try folder(["kube": kubeconfig(cluster: "{server: 'https://x'}", user: "{username: admin, password: pw}")])
        let config = try ConfigLoader(environment: ["FATHOM_CLUSTER_KUBECONFIG": dir + "/kube", "FATHOM_CLUSTER_DENIED_RESOURCES": "secrets,configmaps"])
            .load(home: dir)
        #expect(config.cluster.clusters.map(\.name) == ["default"])
        #expect(config.cluster.clusters.first?.endpoint.auth == .basic(username: "admin", password: "pw"))
        #expect(config.cluster.deniedResources == ["secrets", "configmaps"])
    }
}

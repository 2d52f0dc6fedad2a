import Foundation
import Yams

/// Reads `clusters:` of `tools/cluster.yaml`: each entry a kubeconfig context or the pod's ServiceAccount.
///
/// ```yaml
/// clusters:
///   - name: prod
///     kubeconfig: ~/.kube/config   # default: $KUBECONFIG, then ~/.kube/config
///     context: prod-admin          # default: the current context
///     namespace: shop              # default: the context's
///   - name: here
///     in_cluster: true
/// ```
struct ClusterEntries {
    let environment: [String: String]
    let home: String

    static let fields = ["name", "kubeconfig", "context", "namespace", "in_cluster", "service_account_dir"]
    static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    func parse(_ node: Node, file: String) throws -> [FathomConfig.KubeCluster] {
        try ConfigMapping.namedItems(
            node, file: file, key: "cluster.clusters", expected: "a list of clusters (- name: …, kubeconfig: … or in_cluster: true)",
            known: Self.fields
        ).map { item in
            let (name, key, fields) = (item.name, item.key, item.fields)
            var cluster: FathomConfig.KubeCluster
            if let inCluster = fields["in_cluster"], try inCluster.bool() {
                if let other = fields["kubeconfig"] ?? fields["context"] {
                    throw ConfigError.invalidValue(
                        location: other.location, key: other.key, expected: "absent when in_cluster is true (one source per cluster)",
                        got: "set")
                }
                let directory = try fields["service_account_dir"].map { ConfigLoader.absolute(try $0.string(), from: home) }
                cluster = try KubeConfigFile.inCluster(
                    name: name, directory: directory ?? Self.serviceAccountDirectory, environment: environment, key: key + ".in_cluster")
            } else {
                let paths = try fields["kubeconfig"].map { [try ConfigMapping.readableFile($0, home: home)] }
                    ?? KubeConfigFile.defaultPaths(environment: environment)
                cluster = try KubeConfigFile(paths: paths).resolve(name: name, context: try fields["context"]?.optionalString())
            }
            if let namespace = try fields["namespace"]?.optionalString() { cluster.namespace = namespace }
            return cluster
        }
    }

    /// `kubeconfig: PATH` at the top of the section (or `FATHOM_CLUSTER_KUBECONFIG`): one cluster named `default`,
    /// from the file's current context.
    static func defaultCluster(_ clusters: inout [FathomConfig.KubeCluster], _ value: ConfigValue, home: String) throws {
        let path = try ConfigMapping.readableFile(value, home: home)
        let cluster = try KubeConfigFile(paths: [path]).resolve(name: "default", context: nil)
        clusters.removeAll { $0.name == "default" }
        clusters.insert(cluster, at: 0)
    }
}

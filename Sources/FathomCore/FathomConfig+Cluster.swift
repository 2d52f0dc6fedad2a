extension FathomConfig {
    /// Kubernetes clusters the cluster toolset reaches (`tools/cluster.yaml`).
    public struct ClusterSettings: Sendable, Equatable {
        public var clusters: [KubeCluster] = []
        /// Resources no tool reads or lists, as plural names (`secrets`) or `plural.group`.
        public var deniedResources: [String] = ["secrets"]
        public var timeoutSeconds: Double = 15
        /// The most log text `pods_log` returns.
        public var maxLogBytes = 256 * 1024
        /// The largest response body read from an API server.
        public var maxResponseBytes = 64 * 1024 * 1024
        public init() {}
    }

    /// One API server, resolved from a kubeconfig context or a pod's ServiceAccount.
    public struct KubeCluster: Sendable, Equatable {
        /// What tools take as `cluster`.
        public var name: String
        /// The server URL, credentials and TLS, as for any other endpoint.
        public var endpoint: Endpoint
        /// Used when a namespaced tool is given no namespace.
        public var namespace: String
        /// Where it came from, for `clusters_list` and `doctor`: `kubeconfig PATH, context NAME` or `in-cluster`.
        public var source: String

        public init(name: String, endpoint: Endpoint, namespace: String, source: String) {
            self.name = name
            self.endpoint = endpoint
            self.namespace = namespace
            self.source = source
        }
    }
}

/// Why a cluster tool could not do what was asked, and what to check.
public enum ClusterError: Error, CustomStringConvertible, Equatable {
    case notConfigured
    case unknownCluster(String, known: [String])
    /// The API server's RBAC said no (HTTP 403); its `Status` message is passed on.
    case forbidden(cluster: String, message: String)
    case notFound(cluster: String, message: String)
    case conflict(cluster: String, message: String)
    /// The resource is in `cluster.denied_resources`.
    case denied(resource: String)
    case unknownResource(cluster: String, name: String, suggestions: [String])
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .notConfigured:
            "No Kubernetes cluster is configured. Add one under 'clusters:' in tools/cluster.yaml, or set FATHOM_CLUSTER_KUBECONFIG."
        case .unknownCluster(let name, let known):
            "No cluster is named '\(name.prefix(80))'. Configured: \(known.joined(separator: ", "))."
        case .forbidden(let cluster, let message):
            "Forbidden by the API server of cluster '\(cluster)' (HTTP 403, RBAC): \(message). Grant the identity Fathom uses a Role or ClusterRole for this, or ask for something else."
        case .notFound(let cluster, let message):
            "Not found in cluster '\(cluster)': \(message)."
        case .conflict(let cluster, let message):
            "Conflict in cluster '\(cluster)' (HTTP 409): \(message). Read the object again and retry."
        case .denied(let resource):
            "Reading \(resource) is denied: it is in cluster.denied_resources (tools/cluster.yaml), so that secret values never reach a client or a model."
        case .unknownResource(let cluster, let name, let suggestions):
            "Cluster '\(cluster)' serves no resource called '\(name.prefix(80))'"
                + (suggestions.isEmpty ? "." : ". Did you mean: \(suggestions.joined(separator: ", "))?")
        case .invalidArgument(let message):
            message
        }
    }
}

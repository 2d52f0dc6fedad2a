/// Why a call to a Prometheus, Alertmanager, Loki or Tempo endpoint failed, and what to check.
public enum EndpointError: Error, CustomStringConvertible, Equatable {
    case notConfigured(kind: String)
    case unknownEndpoint(kind: String, name: String, known: [String])
    case unknownClusterGroup(String, known: [String])
    case unreachable(kind: String, name: String, url: String, reason: String)
    case timeout(kind: String, name: String, seconds: Double)
    case authFailed(kind: String, name: String, status: Int, auth: String, detail: String)
    case tls(kind: String, name: String, reason: String)
    case tooLarge(kind: String, name: String, limit: Int)
    /// The API answered with an error of its own (a PromQL syntax error, a bad matcher); its message is passed on.
    case api(kind: String, name: String, status: Int, message: String)
    case invalidResponse(kind: String, name: String, reason: String)

    public var description: String {
        switch self {
        case .notConfigured(let kind):
            "No \(kind) endpoint is configured. Add one under '\(kind):' in tools/observability.yaml, or set FATHOM_OBSERVABILITY_\(kind.uppercased())_URL."
        case .unknownEndpoint(let kind, let name, let known):
            "No \(kind) endpoint or cluster is named '\(name)'. Configured: \(known.joined(separator: ", "))."
        case .unknownClusterGroup(let name, let known):
            "No cluster group is named '\(name)'. Configured in observability.cluster_groups: "
                + (known.isEmpty ? "none." : known.joined(separator: ", ") + ".")
        case .unreachable(let kind, let name, let url, let reason):
            "\(kind) '\(name)' at \(url) is unreachable: \(reason). Check that it is running and the url in \(Self.settings(kind).file)."
        case .timeout(let kind, let name, let seconds):
            "\(kind) '\(name)' did not answer within \(Self.seconds(seconds)) s. Narrow the query (shorter range, fewer series) or raise timeout_seconds."
        case .authFailed(let kind, let name, let status, let auth, let detail):
            "\(kind) '\(name)' refused the credentials (HTTP \(status), auth: \(auth))"
                + (detail.isEmpty ? "" : ": \(detail)") + ". Check auth in \(Self.settings(kind).file)."
        case .tls(let kind, let name, let reason):
            "\(kind) '\(name)': TLS failed (\(reason)). Check \(Self.settings(kind).tls)."
        case .tooLarge(let kind, let name, let limit):
            "\(kind) '\(name)' sent more than \(limit) bytes. Narrow the query, or raise \(Self.settings(kind).section).max_response_bytes."
        case .api(let kind, let name, let status, let message):
            "\(kind) '\(name)' rejected the request (HTTP \(status)): \(message)"
        case .invalidResponse(let kind, let name, let reason):
            "\(kind) '\(name)' sent a response Fathom cannot read: \(reason)."
        }
    }

    /// Stable, value-free name for audit rows and metrics.
    public var code: String {
        switch self {
        case .notConfigured: "not_configured"
        case .unknownEndpoint: "unknown_endpoint"
        case .unknownClusterGroup: "unknown_cluster_group"
        case .unreachable: "unreachable"
        case .timeout: "timeout"
        case .authFailed: "auth_failed"
        case .tls: "tls"
        case .tooLarge: "too_large"
        case .api: "api_error"
        case .invalidResponse: "invalid_response"
        }
    }

    /// Where an endpoint of `kind` is configured, for the hints in the messages: a Kubernetes API server
    /// comes from a kubeconfig and `tools/cluster.yaml`, the others from `tools/observability.yaml`.
    private static func settings(_ kind: String) -> (file: String, tls: String, section: String) {
        kind == "kubernetes"
            ? ("the kubeconfig or tools/cluster.yaml", "the kubeconfig's certificate-authority and client certificate", "cluster")
            : ("tools/observability.yaml", "tls.ca_file, cert_file and key_file", "observability")
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

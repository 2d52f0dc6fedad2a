import FathomCore

/// What `fathom doctor` says about a cluster: reachable, the server's version, and what RBAC lets
/// Fathom's identity do (SelfSubjectAccessReview), so a missing permission shows before a tool needs it.
public enum KubeProbe {
    /// The checks, as (verb, resource, group, subresource).
    static let checks: [(verb: String, resource: String, group: String, subresource: String)] = [
        ("list", "pods", "", ""), ("get", "pods", "", "log"), ("list", "events", "", ""), ("list", "nodes", "", ""),
        ("list", "deployments", "apps", ""), ("get", "secrets", "", ""), ("patch", "deployments", "apps", "scale"),
        ("delete", "pods", "", ""),
    ]

    public struct Report: Sendable {
        public var version: String
        public var allowed: [String]
        public var denied: [String]
    }

    public static func check(_ client: KubeClient) async throws -> Report {
        let version = try await client.json(.GET, "/version")
        var report = Report(version: version["gitVersion"]?.stringValue ?? "unknown", allowed: [], denied: [])
        for check in checks {
            var attributes: [String: JSONValue] = ["verb": .string(check.verb), "resource": .string(check.resource)]
            if !check.group.isEmpty { attributes["group"] = .string(check.group) }
            if !check.subresource.isEmpty { attributes["subresource"] = .string(check.subresource) }
            if check.resource != "nodes" { attributes["namespace"] = .string(client.cluster.namespace) }
            let review = try await client.json(
                .POST, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                body: [
                    "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                    "spec": ["resourceAttributes": .object(attributes)],
                ])
            let label = "\(check.verb) \(check.resource)\(check.subresource.isEmpty ? "" : "/" + check.subresource)"
            if review["status"]?["allowed"]?.boolValue == true { report.allowed.append(label) } else { report.denied.append(label) }
        }
        return report
    }
}

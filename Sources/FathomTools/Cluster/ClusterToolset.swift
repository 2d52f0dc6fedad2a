import FathomCore

/// The Kubernetes API: read tools for pods, logs, events, workloads, nodes and any resource discovery
/// finds, and four destructive writes (scale, restart, delete a pod, cordon), off by default.
public enum ClusterToolset {
    public static let name = "cluster"

    public static func tools(_ clusters: KubeClusters) -> [any Tool] {
        guard !clusters.isEmpty else { return [] }
        return [
            ClustersListTool(clusters: clusters),
            NamespacesListTool(clusters: clusters),
            PodsListTool(clusters: clusters),
            PodsGetTool(clusters: clusters),
            PodsLogTool(clusters: clusters),
            EventsListTool(clusters: clusters),
            WorkloadsListTool(clusters: clusters),
            WorkloadsGetTool(clusters: clusters),
            NodesListTool(clusters: clusters),
            ResourcesListTool(clusters: clusters),
            ResourcesGetTool(clusters: clusters),
            ClusterHealthTool(clusters: clusters),
            WorkloadsScaleTool(clusters: clusters),
            WorkloadsRestartTool(clusters: clusters),
            PodsDeleteTool(clusters: clusters),
            NodesCordonTool(clusters: clusters),
        ]
    }

    /// A DNS subdomain, as object and namespace names are.
    static let nameProperty: JSONValue = [
        "type": "string", "minLength": 1, "maxLength": 253, "pattern": "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
    ]
    static let selectorProperty: JSONValue = ["type": "string", "maxLength": 1024]

    static func schema(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        var all: [String: JSONValue] = [
            "cluster": ["type": "string", "maxLength": 64, "description": "Configured cluster name (see clusters_list); default: the first."]
        ]
        for (key, value) in properties { all[key] = value }
        return [
            "type": "object", "properties": .object(all), "required": .array(required.map { .string($0) }),
            "additionalProperties": false,
        ]
    }

    /// An object or namespace name, described.
    static func name(_ description: String) -> JSONValue {
        guard case .object(var property) = nameProperty else { return nameProperty }
        property["description"] = .string(description)
        return .object(property)
    }

    static let listProperties: [String: JSONValue] = [
        "label_selector": ["type": "string", "maxLength": 1024, "description": "e.g. app=checkout,tier!=cache"],
        "field_selector": ["type": "string", "maxLength": 1024, "description": "e.g. status.phase!=Running, spec.nodeName=worker-1"],
        "limit": ["type": "integer", "minimum": 1, "maximum": 1000, "description": "Items per page (default 200)."],
        "continue": ["type": "string", "maxLength": 4096, "description": "The token a previous page ended with."],
    ]

    static let dryRunProperty: JSONValue = [
        "type": "boolean", "description": "Ask the API server to validate the change without making it (dryRun=All).",
    ]

    static let workloadKinds = ["deployments", "statefulsets", "daemonsets", "replicasets"]
    static let workloadKindProperty: JSONValue = ["type": "string", "enum": .array(workloadKinds.map { .string($0) })]

    static func workload(_ kind: String) throws -> KubeDiscovery.Resource {
        guard let resource = KubeDiscovery.Resource.workloads.first(where: { $0.name == kind }) else {
            throw ClusterError.invalidArgument("kind must be one of \(workloadKinds.joined(separator: ", ")), not '\(kind.prefix(40))'.")
        }
        return resource
    }
}

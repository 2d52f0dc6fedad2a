import FathomCore
import Foundation

/// What the four write tools share: the dry-run query and how a change is reported.
enum ClusterWrites {
    static let mergePatch = "application/merge-patch+json"

    static func query(dryRun: Bool?) -> [(String, String)] {
        dryRun == true ? [("dryRun", "All")] : []
    }

    static func done(_ text: String, dryRun: Bool?, structured: [String: JSONValue]) -> ToolResult {
        var structured = structured
        structured["dryRun"] = .bool(dryRun == true)
        return .text(text + (dryRun == true ? " (dry run: the API server validated the change and made none)" : "."), structured: .object(structured))
    }
}

struct WorkloadsScaleTool: Tool {
    struct Arguments: Decodable, Sendable {
        var cluster: String?
        var kind: String
        var name: String
        var namespace: String?
        var replicas: Int
        var dry_run: Bool?
    }

    static let name = "workloads_scale"
    static let title = "Scale a deployment, statefulset or replicaset"
    static let description = "Set a workload's replica count through its scale subresource. Destructive: needs policy.read_only off and an explicit allow, and asks the user when the client supports elicitation. dry_run validates without changing anything."
    static let inputSchema = ClusterToolset.schema(
        [
            "kind": ["type": "string", "enum": ["deployments", "statefulsets", "replicasets"]],
            "name": ClusterToolset.name("Workload name."),
            "namespace": ClusterToolset.name("Namespace; default: the cluster's."),
            "replicas": ["type": "integer", "minimum": 0, "maximum": 10_000],
            "dry_run": ClusterToolset.dryRunProperty,
        ],
        required: ["kind", "name", "replicas"])
    static let annotations = ToolAnnotations.write(destructive: true, idempotent: true, openWorld: true)
    static let toolset = ClusterToolset.name
    static let dryRunArgument: String? = "dry_run"
    let clusters: KubeClusters

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let client = try clusters.client(arguments.cluster)
        let resource = try ClusterToolset.workload(arguments.kind)
        let namespace = arguments.namespace ?? client.cluster.namespace
        let path = resource.path(namespace: namespace, object: arguments.name) + "/scale"
        let before = try await client.json(.GET, path)["spec"]?["replicas"]?.intValue ?? 0
        let after = try await client.json(
            .PATCH, path, query: ClusterWrites.query(dryRun: arguments.dry_run), body: ["spec": ["replicas": .int(arguments.replicas)]],
            contentType: ClusterWrites.mergePatch)
        let replicas = after["spec"]?["replicas"]?.intValue ?? arguments.replicas
        return ClusterWrites.done(
            "Scaled \(resource.kind.lowercased()) \(namespace)/\(arguments.name) in cluster '\(client.name)' from \(before) to \(replicas) replicas",
            dryRun: arguments.dry_run,
            structured: ["cluster": .string(client.name), "namespace": .string(namespace), "name": .string(arguments.name), "from": .int(before), "to": .int(replicas)])
    }
}

struct WorkloadsRestartTool: Tool {
    struct Arguments: Decodable, Sendable {
        var cluster: String?
        var kind: String
        var name: String
        var namespace: String?
        var dry_run: Bool?
    }

    static let name = "workloads_restart"
    static let title = "Restart a deployment, statefulset or daemonset"
    static let description = "A rolling restart, as `kubectl rollout restart` does it: stamps kubectl.kubernetes.io/restartedAt on the pod template. Destructive: needs policy.read_only off and an explicit allow, and asks the user when the client supports elicitation."
    static let inputSchema = ClusterToolset.schema(
        [
            "kind": ["type": "string", "enum": ["deployments", "statefulsets", "daemonsets"]],
            "name": ClusterToolset.name("Workload name."),
            "namespace": ClusterToolset.name("Namespace; default: the cluster's."),
            "dry_run": ClusterToolset.dryRunProperty,
        ],
        required: ["kind", "name"])
    static let annotations = ToolAnnotations.write(destructive: true, idempotent: false, openWorld: true)
    static let toolset = ClusterToolset.name
    static let dryRunArgument: String? = "dry_run"
    let clusters: KubeClusters

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let client = try clusters.client(arguments.cluster)
        let resource = try ClusterToolset.workload(arguments.kind)
        let namespace = arguments.namespace ?? client.cluster.namespace
        let stamp = Date().formatted(.iso8601)
        let patch: JSONValue = ["spec": ["template": ["metadata": ["annotations": ["kubectl.kubernetes.io/restartedAt": .string(stamp)]]]]]
        _ = try await client.json(
            .PATCH, resource.path(namespace: namespace, object: arguments.name), query: ClusterWrites.query(dryRun: arguments.dry_run),
            body: patch, contentType: ClusterWrites.mergePatch)
        return ClusterWrites.done(
            "Restarted \(resource.kind.lowercased()) \(namespace)/\(arguments.name) in cluster '\(client.name)' (restartedAt \(stamp)); follow it with workloads_get",
            dryRun: arguments.dry_run,
            structured: ["cluster": .string(client.name), "namespace": .string(namespace), "name": .string(arguments.name), "restartedAt": .string(stamp)])
    }
}

struct PodsDeleteTool: Tool {
    struct Arguments: Decodable, Sendable {
        var cluster: String?
        var name: String
        var namespace: String?
        var grace_period_seconds: Int?
        var dry_run: Bool?
    }

    static let name = "pods_delete"
    static let title = "Delete a pod"
    static let description = "Delete one pod; its controller, if any, makes a new one. Destructive: needs policy.read_only off and an explicit allow, and asks the user when the client supports elicitation."
    static let inputSchema = ClusterToolset.schema(
        [
            "name": ClusterToolset.name("Pod name."),
            "namespace": ClusterToolset.name("Namespace; default: the cluster's."),
            "grace_period_seconds": ["type": "integer", "minimum": 0, "maximum": 3600],
            "dry_run": ClusterToolset.dryRunProperty,
        ],
        required: ["name"])
    static let annotations = ToolAnnotations.write(destructive: true, idempotent: true, openWorld: true)
    static let toolset = ClusterToolset.name
    static let dryRunArgument: String? = "dry_run"
    let clusters: KubeClusters

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let client = try clusters.client(arguments.cluster)
        let namespace = arguments.namespace ?? client.cluster.namespace
        var query = ClusterWrites.query(dryRun: arguments.dry_run)
        if let grace = arguments.grace_period_seconds { query.append(("gracePeriodSeconds", String(grace))) }
        let pod = try await client.json(.DELETE, KubeDiscovery.Resource.pods.path(namespace: namespace, object: arguments.name), query: query)
        let owner = pod["metadata"]?["ownerReferences"]?.arrayValue?.first.map { "\($0["kind"]?.stringValue ?? "")/\($0["name"]?.stringValue ?? "")" }
        return ClusterWrites.done(
            "Deleted pod \(namespace)/\(arguments.name) in cluster '\(client.name)'" + (owner.map { "; \($0) will replace it" } ?? ""),
            dryRun: arguments.dry_run,
            structured: ["cluster": .string(client.name), "namespace": .string(namespace), "name": .string(arguments.name)])
    }
}

struct NodesCordonTool: Tool {
    struct Arguments: Decodable, Sendable {
        var cluster: String?
        var name: String
        var uncordon: Bool?
        var dry_run: Bool?
    }

    static let name = "nodes_cordon"
    static let title = "Cordon or uncordon a node"
    static let description = "Mark a node unschedulable (cordon) so no new pods land on it, or schedulable again (uncordon: true). Running pods stay. Destructive: needs policy.read_only off and an explicit allow, and asks the user when the client supports elicitation."
    static let inputSchema = ClusterToolset.schema(
        [
            "name": ClusterToolset.name("Node name."),
            "uncordon": ["type": "boolean", "description": "Make the node schedulable again."],
            "dry_run": ClusterToolset.dryRunProperty,
        ],
        required: ["name"])
    static let annotations = ToolAnnotations.write(destructive: true, idempotent: true, openWorld: true)
    static let toolset = ClusterToolset.name
    static let dryRunArgument: String? = "dry_run"
    let clusters: KubeClusters

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let client = try clusters.client(arguments.cluster)
        let uncordon = arguments.uncordon == true
        _ = try await client.json(
            .PATCH, KubeDiscovery.Resource.nodes.path(namespace: nil, object: arguments.name), query: ClusterWrites.query(dryRun: arguments.dry_run),
            body: ["spec": ["unschedulable": uncordon ? .null : true]], contentType: ClusterWrites.mergePatch)
        return ClusterWrites.done(
            "\(uncordon ? "Uncordoned" : "Cordoned") node \(arguments.name) in cluster '\(client.name)'",
            dryRun: arguments.dry_run,
            structured: ["cluster": .string(client.name), "name": .string(arguments.name), "unschedulable": .bool(!uncordon)])
    }
}

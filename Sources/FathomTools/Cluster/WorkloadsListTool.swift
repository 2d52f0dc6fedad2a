import FathomCore

struct WorkloadsListTool: Tool {
    struct Arguments: Decodable, Sendable {
        var cluster: String?
        var kind: String
        var namespace: String?
        var label_selector: String?
        var limit: Int?
        var `continue`: String?
    }

    static let name = "workloads_list"
    static let title = "List deployments, statefulsets, daemonsets or replicasets"
    static let description = "Workloads of one kind with READY (ready/desired), UP-TO-DATE, AVAILABLE, AGE, IMAGES and a PROBLEM column. Every namespace unless `namespace` is given."
    static let inputSchema = ClusterToolset.schema(
        [
            "kind": ClusterToolset.workloadKindProperty,
            "namespace": ClusterToolset.name("Namespace; omit for all namespaces."),
            "label_selector": ClusterToolset.listProperties["label_selector"] ?? [:],
            "limit": ClusterToolset.listProperties["limit"] ?? [:],
            "continue": ClusterToolset.listProperties["continue"] ?? [:],
        ],
        required: ["kind"])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ClusterToolset.name
    let clusters: KubeClusters

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let client = try clusters.client(arguments.cluster)
        let resource = try ClusterToolset.workload(arguments.kind)
        let list = try await client.list(
            resource, namespace: arguments.namespace, labelSelector: arguments.label_selector, limit: arguments.limit ?? 200,
            continueToken: arguments.continue)
        let now = KubeFormat.now()
        let views = list.items.map { WorkloadView(object: $0, kind: resource.kind) }
        let allNamespaces = arguments.namespace == nil
        var lines = [
            "cluster '\(client.name)' · \(arguments.namespace.map { "namespace \($0)" } ?? "all namespaces") · \(views.count) \(resource.name), "
                + "\(views.filter { $0.problem != nil }.count) with a problem"
        ]
        if !views.isEmpty {
            lines.append(KubeFormat.table(WorkloadView.headers(namespace: allNamespaces), views.map { $0.cells(now: now, namespace: allNamespaces) }))
        }
        if let footer = list.footer { lines.append(footer) }
        return .text(
            lines.joined(separator: "\n"),
            structured: list.structured(views.map { $0.summary(now: now) }, extra: ["cluster": .string(client.name), "kind": .string(arguments.kind)]))
    }
}

import FathomCore

struct PodsListTool: Tool {
    struct Arguments: Decodable, Sendable {
        var cluster: String?
        var namespace: String?
        var label_selector: String?
        var field_selector: String?
        var limit: Int?
        var `continue`: String?
    }

    static let name = "pods_list"
    static let title = "List pods"
    static let description = "Pods with kubectl's READY, STATUS (CrashLoopBackOff, OOMKilled, ImagePullBackOff, …), RESTARTS, AGE and NODE; a PROBLEM column says why a pod needs a look. Every namespace unless `namespace` is given. Pages with limit/continue."
    static let inputSchema = ClusterToolset.schema(
        ClusterToolset.listProperties.merging(["namespace": ClusterToolset.name("Namespace; omit for all namespaces.")]) { $1 })
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ClusterToolset.name
    let clusters: KubeClusters

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let client = try clusters.client(arguments.cluster)
        let list = try await client.list(
            .pods, namespace: arguments.namespace, labelSelector: arguments.label_selector, fieldSelector: arguments.field_selector,
            limit: arguments.limit ?? 200, continueToken: arguments.continue)
        let now = KubeFormat.now()
        let views = list.items.map(PodView.init)
        let allNamespaces = arguments.namespace == nil
        let rows = views.map { view in
            (allNamespaces ? [view.pod.objectNamespace ?? ""] : [])
                + [view.pod.objectName, view.ready, view.status, view.restartsText(now: now), KubeFormat.age(view.pod.created, now: now), view.node,
                    view.problem(now: now) ?? ""]
        }
        let headers = (allNamespaces ? ["NAMESPACE"] : []) + ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "NODE", "PROBLEM"]
        let failing = views.filter { $0.problem(now: now) != nil }.count
        var lines = [
            "cluster '\(client.name)' · \(arguments.namespace.map { "namespace \($0)" } ?? "all namespaces") · \(views.count) pods, \(failing) with a problem"
        ]
        if !views.isEmpty { lines.append(KubeFormat.table(headers, rows)) }
        if let footer = list.footer { lines.append(footer) }
        return .text(
            lines.joined(separator: "\n"), structured: list.structured(views.map { $0.summary(now: now) }, extra: ["cluster": .string(client.name)]))
    }
}

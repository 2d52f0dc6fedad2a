import FathomCore

struct ClusterHealthTool: Tool {
    struct Arguments: Decodable, Sendable {
        var cluster: String?
        var namespace: String?
        var since: String?
    }

    static let name = "cluster_health"
    static let title = "Cluster health at a glance"
    static let description = "In one call: pods that are failing (not running, not ready, or restarted in the last hour, with why), Warning events of the last hour (or `since`), and nodes that are not ready, cordoned or under pressure. The first line sums it up. Start here when something is wrong."
    static let inputSchema = ClusterToolset.schema([
        "namespace": ClusterToolset.name("Namespace; omit for the whole cluster."),
        "since": ["type": "string", "maxLength": 32, "description": "Window for warning events (default '1h')."],
    ])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ClusterToolset.name
    let clusters: KubeClusters

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let client = try clusters.client(arguments.cluster)
        let window = try TimeArguments.duration(arguments.since ?? "1h", argument: "since")
        async let podList = client.list(.pods, namespace: arguments.namespace)
        async let eventList = client.list(.events, namespace: arguments.namespace, fieldSelector: "type=Warning")
        async let nodeList = client.list(.nodes, namespace: nil)
        let now = KubeFormat.now()
        var lines: [String] = []
        var structured: [String: JSONValue] = ["cluster": .string(client.name)]
        var summary: [String] = []

        let pods = try await podList.items.map(PodView.init)
        let failing = pods.filter { $0.problem(now: now) != nil }
        summary.append("\(failing.count) of \(pods.count) pods failing")
        lines.append("Failing pods (\(failing.count)):")
        if !failing.isEmpty {
            lines.append(
                KubeFormat.table(
                    ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "NODE", "PROBLEM"],
                    failing.map {
                        [$0.pod.objectNamespace ?? "", $0.pod.objectName, $0.ready, $0.status, $0.restartsText(now: now), $0.node, $0.problem(now: now) ?? ""]
                    }))
        }
        structured["failingPods"] = .array(failing.map { $0.summary(now: now) })

        do {
            let events = EventView.sorted(try await eventList.items).filter { now - $0.time <= window }
            summary.append("\(events.count) warning events in \(TimeArguments.format(seconds: window))")
            lines.append("Warning events in the last \(TimeArguments.format(seconds: window)) (\(events.count), newest first):")
            if !events.isEmpty {
                lines.append(KubeFormat.table(EventView.headers(namespace: true), events.prefix(30).map { $0.cells(now: now, namespace: true) }))
            }
            structured["warningEvents"] = .array(events.prefix(30).map { $0.summary(now: now) })
        } catch {
            lines.append("Warning events: not available (\(error))")
        }

        do {
            let nodes = try await nodeList.items
            let bad = nodes.compactMap { node in NodeView(node).problem.map { (node.objectName, $0) } }
            summary.append("\(bad.count) of \(nodes.count) nodes not ready, cordoned or under pressure")
            lines.append("Nodes needing a look (\(bad.count)):")
            lines += bad.map { "  \($0.0): \($0.1)" }
            structured["nodes"] = .array(bad.map { ["name": .string($0.0), "problem": .string($0.1)] })
        } catch {
            lines.append("Nodes: not available (\(error))")
        }
        let scope = arguments.namespace.map { "namespace \($0)" } ?? "all namespaces"
        let healthy = failing.isEmpty && (structured["nodes"]?.arrayValue ?? []).isEmpty
        structured["healthy"] = .bool(healthy)
        structured["summary"] = .string(summary.joined(separator: ", "))
        return .text(
            "cluster '\(client.name)' · \(scope) · \(healthy ? "healthy" : "needs attention"): \(summary.joined(separator: ", "))\n"
                + lines.joined(separator: "\n"),
            structured: .object(structured))
    }
}

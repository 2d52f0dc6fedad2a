import FathomCore

struct NodesListTool: Tool {
    struct Arguments: Decodable, Sendable {
        var cluster: String?
        var name: String?
        var label_selector: String?
    }

    static let name = "nodes_list"
    static let title = "List nodes"
    static let description = "Nodes with readiness, cordoning, roles, pressure conditions (memory, disk, PID, network), and CPU and memory requested by their pods against allocatable. With `name`, one node's conditions and taints in full."
    static let inputSchema = ClusterToolset.schema([
        "name": ClusterToolset.name("One node, with its conditions and taints."),
        "label_selector": ClusterToolset.listProperties["label_selector"] ?? [:],
    ])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ClusterToolset.name
    let clusters: KubeClusters

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let client = try clusters.client(arguments.cluster)
        async let podList = client.list(.pods, namespace: nil, fieldSelector: "status.phase!=Succeeded,status.phase!=Failed")
        let nodes: [JSONValue]
        if let name = arguments.name {
            nodes = [try await client.json(.GET, KubeDiscovery.Resource.nodes.path(namespace: nil, object: name))]
        } else {
            nodes = try await client.list(.nodes, namespace: nil, labelSelector: arguments.label_selector).items
        }
        var requested: [String: (cpu: Double, memory: Double, pods: Int)] = [:]
        var requestsKnown = true
        do {
            for pod in try await podList.items {
                guard let node = pod["spec"]?["nodeName"]?.stringValue else { continue }
                var entry = requested[node] ?? (0, 0, 0)
                for container in pod["spec"]?["containers"]?.arrayValue ?? [] {
                    entry.cpu += KubeFormat.quantity(container["resources"]?["requests"]?["cpu"]?.stringValue) ?? 0
                    entry.memory += KubeFormat.quantity(container["resources"]?["requests"]?["memory"]?.stringValue) ?? 0
                }
                entry.pods += 1
                requested[node] = entry
            }
        } catch {
            requestsKnown = false
        }
        let now = KubeFormat.now()
        var rows: [[String]] = []
        var json: [JSONValue] = []
        var details: [String] = []
        for node in nodes {
            let name = node.objectName
            let view = NodeView(node)
            let (status, pressure) = (view.status, view.pressure)
            let roles = (node.at("metadata.labels")?.objectValue ?? [:]).keys
                .filter { $0.hasPrefix("node-role.kubernetes.io/") }.map { String($0.dropFirst(24)) }.sorted()
            let allocatable = node.at("status.allocatable")
            let cpu = KubeFormat.quantity(allocatable?["cpu"]?.stringValue) ?? 0
            let memory = KubeFormat.quantity(allocatable?["memory"]?.stringValue) ?? 0
            let podCapacity = allocatable?["pods"]?.stringValue ?? "?"
            let used = requested[name] ?? (0, 0, 0)
            let cpuText = requestsKnown ? "\(KubeFormat.cpu(used.cpu))/\(KubeFormat.cpu(cpu)) (\(KubeFormat.percent(used.cpu, of: cpu)))" : "?"
            let memoryText = requestsKnown ? "\(KubeFormat.bytes(used.memory))/\(KubeFormat.bytes(memory)) (\(KubeFormat.percent(used.memory, of: memory)))" : "?"
            let version = node.at("status.nodeInfo.kubeletVersion")?.stringValue ?? ""
            rows.append([
                name, status, roles.isEmpty ? "<none>" : roles.joined(separator: ","), KubeFormat.age(node.created, now: now), version,
                cpuText, memoryText, requestsKnown ? "\(used.pods)/\(podCapacity)" : "?", pressure.joined(separator: ","),
            ])
            json.append([
                "name": .string(name), "status": .string(status), "roles": .array(roles.map { .string($0) }),
                "pressure": .array(pressure.map { .string($0) }), "version": .string(version),
                "cpuRequested": .double(used.cpu), "cpuAllocatable": .double(cpu), "memoryRequested": .double(used.memory),
                "memoryAllocatable": .double(memory), "pods": .int(used.pods),
            ])
            if arguments.name != nil {
                for condition in view.conditions {
                    details.append(
                        "Condition \(condition["type"]?.stringValue ?? "")=\(condition["status"]?.stringValue ?? "")"
                            + (condition["reason"]?.stringValue.map { " (\($0))" } ?? "")
                            + (condition["message"]?.stringValue.map { ": \($0)" } ?? "")
                            + (condition["lastTransitionTime"]?.stringValue.map { ", since \(KubeFormat.age($0, now: now)) ago" } ?? ""))
                }
                for taint in node.at("spec.taints")?.arrayValue ?? [] {
                    details.append(
                        "Taint \(taint["key"]?.stringValue ?? "")" + (taint["value"]?.stringValue.map { "=\($0)" } ?? "")
                            + ":\(taint["effect"]?.stringValue ?? "")")
                }
            }
        }
        let bad = json.filter { $0["status"]?.stringValue != "Ready" || !($0["pressure"]?.arrayValue ?? []).isEmpty }.count
        var lines = ["cluster '\(client.name)' · \(nodes.count) nodes, \(bad) not ready, cordoned or under pressure"]
        if !rows.isEmpty {
            lines.append(KubeFormat.table(["NAME", "STATUS", "ROLES", "AGE", "VERSION", "CPU REQ/ALLOC", "MEMORY REQ/ALLOC", "PODS", "PRESSURE"], rows))
        }
        if !requestsKnown { lines.append("[requests unknown: pods could not be listed]") }
        lines += details
        return .text(lines.joined(separator: "\n"), structured: ["cluster": .string(client.name), "items": .array(json), "count": .int(json.count)])
    }
}

import FathomCore

struct NamespacesListTool: Tool {
    struct Arguments: Decodable, Sendable {
        var cluster: String?
    }

    static let name = "namespaces_list"
    static let title = "List namespaces"
    static let description = "Namespaces of a cluster with their phase and age."
    static let inputSchema = ClusterToolset.schema([:])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ClusterToolset.name
    let clusters: KubeClusters

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let client = try clusters.client(arguments.cluster)
        let list = try await client.list(.namespaces, namespace: nil)
        let now = KubeFormat.now()
        let rows = list.items.map { item -> (cells: [String], json: JSONValue) in
            let phase = item["status"]?["phase"]?.stringValue ?? ""
            let age = KubeFormat.age(item.created, now: now)
            return ([item.objectName, phase, age], ["name": .string(item.objectName), "status": .string(phase), "age": .string(age)])
        }
        let text = "cluster '\(client.name)' · \(rows.count) namespaces\n" + KubeFormat.table(["NAME", "STATUS", "AGE"], rows.map(\.cells))
        return .text(text, structured: list.structured(rows.map(\.json), extra: ["cluster": .string(client.name)]))
    }
}

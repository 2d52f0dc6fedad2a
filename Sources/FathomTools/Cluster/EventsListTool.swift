import FathomCore

struct EventsListTool: Tool {
    struct Arguments: Decodable, Sendable {
        var cluster: String?
        var namespace: String?
        var object_kind: String?
        var object_name: String?
        var type: String?
        var since: String?
        var limit: Int?
    }

    static let name = "events_list"
    static let title = "List events"
    static let description = "Events, newest first: by namespace, by involved object (kind and name), Warning only, or since a time ago ('30m'). Every namespace unless `namespace` is given."
    static let inputSchema = ClusterToolset.schema([
        "namespace": ClusterToolset.name("Namespace; omit for all namespaces."),
        "object_kind": ["type": "string", "maxLength": 64, "pattern": "^[A-Za-z]+$", "description": "e.g. Pod, Deployment, Node"],
        "object_name": ClusterToolset.name("The involved object's name."),
        "type": ["type": "string", "enum": ["Warning", "Normal"]],
        "since": ["type": "string", "maxLength": 32, "description": "Only events seen in this window: '30m', '2h', '1d' or seconds."],
        "limit": ["type": "integer", "minimum": 1, "maximum": 1000, "description": "Most events shown (default 100)."],
    ])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ClusterToolset.name
    let clusters: KubeClusters

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let client = try clusters.client(arguments.cluster)
        var fields: [String] = []
        if let kind = arguments.object_kind { fields.append("involvedObject.kind=\(kind)") }
        if let name = arguments.object_name { fields.append("involvedObject.name=\(name)") }
        if let type = arguments.type { fields.append("type=\(type)") }
        let window = try arguments.since.map { try TimeArguments.duration($0, argument: "since") }
        let list = try await client.list(.events, namespace: arguments.namespace, fieldSelector: fields.joined(separator: ","))
        let now = KubeFormat.now()
        var events = EventView.sorted(list.items)
        if let window { events = events.filter { now - $0.time <= window } }
        let limit = arguments.limit ?? 100
        let shown = events.prefix(limit)
        let allNamespaces = arguments.namespace == nil
        var lines = [
            "cluster '\(client.name)' · \(arguments.namespace.map { "namespace \($0)" } ?? "all namespaces") · \(events.count) events"
                + (events.count > shown.count ? ", newest \(shown.count) shown" : "")
        ]
        if !shown.isEmpty {
            lines.append(KubeFormat.table(EventView.headers(namespace: allNamespaces), shown.map { $0.cells(now: now, namespace: allNamespaces) }))
        }
        return .text(
            lines.joined(separator: "\n"),
            structured: [
                "cluster": .string(client.name), "count": .int(events.count), "items": .array(shown.map { $0.summary(now: now) }),
            ])
    }
}

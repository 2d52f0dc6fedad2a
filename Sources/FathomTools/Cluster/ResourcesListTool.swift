import FathomCore

struct ResourcesListTool: Tool {
    struct Arguments: Decodable, Sendable {
        var cluster: String?
        var resource: String
        var api_version: String?
        var namespace: String?
        var label_selector: String?
        var field_selector: String?
        var limit: Int?
        var `continue`: String?
    }

    static let name = "resources_list"
    static let title = "List any Kubernetes resource"
    static let description = "Objects of any type the cluster serves, custom resources included, named as kubectl names them ('svc', 'Service', 'services', 'ingresses.networking.k8s.io'), with the columns kubectl would print. Every namespace unless `namespace` is given."
    static let inputSchema = ClusterToolset.schema(
        ClusterToolset.listProperties.merging([
            "resource": ["type": "string", "minLength": 1, "maxLength": 253, "pattern": "^[A-Za-z0-9][A-Za-z0-9.-]*$", "description": "Plural, singular, kind or short name, optionally .group."],
            "api_version": ["type": "string", "maxLength": 253, "pattern": "^[a-z0-9.-]+(/[a-z0-9]+)?$", "description": "e.g. v1 or apps/v1, when a name is served by several groups."],
            "namespace": ClusterToolset.name("Namespace; omit for all namespaces."),
        ]) { $1 },
        required: ["resource"])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ClusterToolset.name
    let clusters: KubeClusters

    /// kubectl's Accept header: a server-side Table, or the plain list from servers that cannot make one.
    static let tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let client = try clusters.client(arguments.cluster)
        let resource = try await client.discovery.resolve(arguments.resource, apiVersion: arguments.api_version, client: client)
        try clusters.checkAllowed(resource)
        let query = KubeClient.listQuery(
            labelSelector: arguments.label_selector, fieldSelector: arguments.field_selector, limit: arguments.limit ?? 200,
            continueToken: arguments.continue)
        let namespace = resource.namespaced ? arguments.namespace : nil
        let answer = try await client.json(.GET, resource.path(namespace: namespace), query: query, accept: Self.tableAccept)
        let page = KubeList(
            items: [], continueToken: answer["metadata"]?["continue"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
            remaining: answer["metadata"]?["remainingItemCount"]?.intValue)
        let showNamespace = resource.namespaced && namespace == nil
        var headers: [String]
        var rows: [[String]] = []
        var items: [JSONValue] = []
        if answer["kind"]?.stringValue == "Table" {
            let columns = (answer["columnDefinitions"]?.arrayValue ?? []).enumerated().filter { ($0.element["priority"]?.intValue ?? 0) == 0 }
            headers = (showNamespace ? ["NAMESPACE"] : []) + columns.map { ($0.element["name"]?.stringValue ?? "").uppercased() }
            for row in answer["rows"]?.arrayValue ?? [] {
                let cells = row["cells"]?.arrayValue ?? []
                let values = columns.map { column in column.offset < cells.count ? Self.cell(cells[column.offset]) : "" }
                let rowNamespace = row["object"]?["metadata"]?["namespace"]?.stringValue ?? ""
                rows.append((showNamespace ? [rowNamespace] : []) + values)
                var item: [String: JSONValue] = [:]
                for (column, value) in zip(columns, values) { item[column.element["name"]?.stringValue ?? ""] = .string(value) }
                if resource.namespaced { item["namespace"] = .string(rowNamespace) }
                items.append(ClusterRedaction.redact(.object(item)))
            }
        } else {
            let now = KubeFormat.now()
            headers = (showNamespace ? ["NAMESPACE"] : []) + ["NAME", "AGE"]
            for object in answer["items"]?.arrayValue ?? [] {
                rows.append((showNamespace ? [object.objectNamespace ?? ""] : []) + [object.objectName, KubeFormat.age(object.created, now: now)])
                var item: [String: JSONValue] = ["Name": .string(object.objectName)]
                if let namespace = object.objectNamespace { item["namespace"] = .string(namespace) }
                items.append(.object(item))
            }
        }
        let scope = resource.namespaced ? (namespace.map { "namespace \($0)" } ?? "all namespaces") : "cluster-scoped"
        var lines = ["cluster '\(client.name)' · \(resource.qualifiedName) (\(resource.apiVersion) \(resource.kind)) · \(scope) · \(rows.count) items"]
        if !rows.isEmpty { lines.append(ClusterRedaction.redactor.redact(KubeFormat.table(headers, rows))) }
        if let footer = page.footer { lines.append(footer) }
        return .text(
            lines.joined(separator: "\n"),
            structured: page.structured(
                items,
                extra: ["cluster": .string(client.name), "resource": .string(resource.qualifiedName), "apiVersion": .string(resource.apiVersion), "kind": .string(resource.kind)]))
    }

    static func cell(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): String(flag)
        case .null: "<none>"
        default: value.encodedString()
        }
    }
}

import FathomCore

struct ResourcesGetTool: Tool {
    struct Arguments: Decodable, Sendable {
        var cluster: String?
        var resource: String
        var name: String
        var api_version: String?
        var namespace: String?
    }

    static let name = "resources_get"
    static let title = "Get any Kubernetes object"
    static let description = "One object of any type as JSON, with managedFields dropped and secret-looking values masked. The resource is named as kubectl names it ('cm', 'ConfigMap', 'ingresses.networking.k8s.io')."
    static let inputSchema = ClusterToolset.schema(
        [
            "resource": ResourcesListTool.inputSchema["properties"]?["resource"] ?? [:],
            "api_version": ResourcesListTool.inputSchema["properties"]?["api_version"] ?? [:],
            "name": ClusterToolset.name("Object name."),
            "namespace": ClusterToolset.name("Namespace of a namespaced object; default: the cluster's."),
        ],
        required: ["resource", "name"])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ClusterToolset.name
    let clusters: KubeClusters

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let client = try clusters.client(arguments.cluster)
        let resource = try await client.discovery.resolve(arguments.resource, apiVersion: arguments.api_version, client: client)
        try clusters.checkAllowed(resource)
        let namespace = resource.namespaced ? (arguments.namespace ?? client.cluster.namespace) : nil
        let object = ClusterRedaction.object(try await client.json(.GET, resource.path(namespace: namespace, object: arguments.name)))
        let header = "cluster '\(client.name)' · \(resource.kind) \(namespace.map { "\($0)/" } ?? "")\(arguments.name) (\(resource.apiVersion))"
        return .text(header + "\n" + object.encodedString(), structured: object)
    }
}

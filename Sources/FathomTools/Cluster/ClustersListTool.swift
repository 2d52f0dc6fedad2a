import FathomCore

struct ClustersListTool: Tool {
    struct Arguments: Decodable, Sendable {}

    static let name = "clusters_list"
    static let title = "List configured Kubernetes clusters"
    static let description = "The clusters Fathom can reach: name, API server, how it authenticates (never the secret), default namespace and where it was configured. Other cluster tools take `cluster`."
    static let inputSchema: JSONValue = ["type": "object", "properties": [:], "additionalProperties": false]
    static let annotations = ToolAnnotations.readOnly()
    static let toolset = ClusterToolset.name
    let clusters: KubeClusters

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let rows = clusters.all.map { client -> (line: [String], json: JSONValue) in
            let cluster = client.cluster
            var auth = cluster.endpoint.auth.description
            if cluster.endpoint.tls.certificatePEM != nil || cluster.endpoint.tls.certificateFile != nil {
                auth = auth == "none" ? "client certificate" : auth + " + client certificate"
            }
            return (
                [cluster.name, cluster.endpoint.url, auth, cluster.namespace, cluster.source],
                [
                    "name": .string(cluster.name), "server": .string(cluster.endpoint.url), "auth": .string(auth),
                    "namespace": .string(cluster.namespace), "source": .string(cluster.source),
                    "insecureSkipTLSVerify": .bool(cluster.endpoint.tls.insecureSkipVerify),
                ]
            )
        }
        let text = KubeFormat.table(["NAME", "SERVER", "AUTH", "NAMESPACE", "SOURCE"], rows.map(\.line))
        return .text(text, structured: ["clusters": .array(rows.map(\.json))])
    }
}

import FathomCore

/// The configured clusters, one client each, and the rules every cluster tool shares.
public struct KubeClusters: Sendable {
    public let settings: FathomConfig.ClusterSettings
    public let all: [KubeClient]

    /// - Throws: ``EndpointError/tls`` when a cluster's certificate or key cannot be loaded.
    public init(settings: FathomConfig.ClusterSettings) throws {
        self.settings = settings
        all = try settings.clusters.map { try KubeClient(cluster: $0, settings: settings) }
    }

    public var isEmpty: Bool { all.isEmpty }

    /// The named cluster, or the first one.
    func client(_ name: String?) throws -> KubeClient {
        guard let first = all.first else { throw ClusterError.notConfigured }
        guard let name, !name.isEmpty else { return first }
        guard let client = all.first(where: { $0.name == name }) else {
            throw ClusterError.unknownCluster(name, known: all.map(\.name))
        }
        return client
    }

    /// Refuses a resource in `cluster.denied_resources` (by plural name, `plural.group` or kind).
    func checkAllowed(_ resource: KubeDiscovery.Resource) throws {
        let names = [resource.name, resource.qualifiedName, resource.kind.lowercased()]
        if settings.deniedResources.contains(where: names.contains) {
            throw ClusterError.denied(resource: resource.qualifiedName)
        }
    }
}

/// One page of a list: its items, and the token for the next page.
struct KubeList {
    var items: [JSONValue]
    var continueToken: String?
    var remaining: Int?

    /// The line that tells a caller how to get the next page.
    var footer: String? {
        guard let continueToken else { return nil }
        let count = remaining.map { "\($0) more" } ?? "more"
        return "[\(count): call again with continue: \"\(continueToken)\"]"
    }

    func structured(_ items: [JSONValue], extra: [String: JSONValue] = [:]) -> JSONValue {
        var object = extra
        object["items"] = .array(items)
        object["count"] = .int(items.count)
        if let continueToken { object["continue"] = .string(continueToken) }
        if let remaining { object["remaining"] = .int(remaining) }
        return .object(object)
    }
}

extension KubeClient {
    /// The query of a list request; empty selectors and tokens are left out.
    static func listQuery(labelSelector: String?, fieldSelector: String?, limit: Int?, continueToken: String?) -> [(String, String)] {
        var query: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
        if let limit { query.append(("limit", String(limit))) }
        if let continueToken, !continueToken.isEmpty { query.append(("continue", continueToken)) }
        return query
    }

    /// A page of `resource` in `namespace` (every namespace when nil).
    func list(
        _ resource: KubeDiscovery.Resource, namespace: String?, labelSelector: String? = nil, fieldSelector: String? = nil,
        limit: Int? = nil, continueToken: String? = nil
    ) async throws -> KubeList {
        let query = Self.listQuery(labelSelector: labelSelector, fieldSelector: fieldSelector, limit: limit, continueToken: continueToken)
        let list = try await json(.GET, resource.path(namespace: namespace), query: query)
        guard let items = list["items"]?.arrayValue else {
            throw EndpointError.invalidResponse(kind: "kubernetes", name: name, reason: "a \(resource.kind) list without items")
        }
        let token = list["metadata"]?["continue"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        return KubeList(items: items, continueToken: token, remaining: list["metadata"]?["remainingItemCount"]?.intValue)
    }
}

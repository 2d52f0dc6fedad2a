import FathomCore
import Synchronization

/// The resource types a cluster serves, read from its discovery documents and kept for five minutes,
/// so that `resources_list` takes `svc`, `Service`, `services` or `deployments.apps` as kubectl does.
final class KubeDiscovery: Sendable {
    struct Resource: Sendable, Equatable {
        var group: String
        var version: String
        /// The plural name used in paths: `pods`, `deployments`.
        var name: String
        var kind: String
        var namespaced: Bool
        var shortNames: [String] = []
        var singular = ""
        var verbs: [String] = []

        var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
        /// `deployments.apps`, or `pods` for the core group.
        var qualifiedName: String { group.isEmpty ? name : "\(name).\(group)" }

        /// The collection, or one object when `object` is given; cluster-wide when `namespace` is nil.
        func path(namespace: String?, object: String? = nil) -> String {
            var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
            if namespaced, let namespace { path += "/namespaces/" + KubeDiscovery.segment(namespace) }
            path += "/" + name
            if let object { path += "/" + KubeDiscovery.segment(object) }
            return path
        }

        static let pods = Resource(group: "", version: "v1", name: "pods", kind: "Pod", namespaced: true)
        static let events = Resource(group: "", version: "v1", name: "events", kind: "Event", namespaced: true)
        static let nodes = Resource(group: "", version: "v1", name: "nodes", kind: "Node", namespaced: false)
        static let namespaces = Resource(group: "", version: "v1", name: "namespaces", kind: "Namespace", namespaced: false)
        static let deployments = Resource(group: "apps", version: "v1", name: "deployments", kind: "Deployment", namespaced: true)
        static let statefulSets = Resource(group: "apps", version: "v1", name: "statefulsets", kind: "StatefulSet", namespaced: true)
        static let daemonSets = Resource(group: "apps", version: "v1", name: "daemonsets", kind: "DaemonSet", namespaced: true)
        static let replicaSets = Resource(group: "apps", version: "v1", name: "replicasets", kind: "ReplicaSet", namespaced: true)
        static let workloads = [deployments, statefulSets, daemonSets, replicaSets]
    }

    private struct Cache {
        var resources: [Resource]
        var fetched: ContinuousClock.Instant
    }

    private let cache = Mutex<Cache?>(nil)
    static let lifetime = Duration.seconds(300)

    /// A path segment: names are DNS labels, but arguments come from clients, so nothing may break out of it.
    static func segment(_ text: String) -> String {
        EndpointClient.escape(text)
    }

    func resources(_ client: KubeClient) async throws -> [Resource] {
        if let cached = cache.withLock({ $0 }), ContinuousClock.now - cached.fetched < Self.lifetime {
            return cached.resources
        }
        var resources = try Self.parse(await client.json(.GET, "/api/v1"), group: "", version: "v1")
        let groups = try await client.json(.GET, "/apis")
        let versions = (groups["groups"]?.arrayValue ?? []).compactMap { $0["preferredVersion"]?["groupVersion"]?.stringValue }
        // Groups are read together; one whose aggregated API is down (503) is left out, as kubectl does.
        let fetched = await withTaskGroup(of: (Int, [Resource]).self) { group in
            for (index, groupVersion) in versions.enumerated() {
                group.addTask {
                    let parts = groupVersion.split(separator: "/", maxSplits: 1).map(String.init)
                    guard parts.count == 2, let list = try? await client.json(.GET, "/apis/\(groupVersion)") else { return (index, []) }
                    return (index, (try? Self.parse(list, group: parts[0], version: parts[1])) ?? [])
                }
            }
            var results: [(Int, [Resource])] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
        resources += fetched
        cache.withLock { $0 = Cache(resources: resources, fetched: .now) }
        return resources
    }

    static func parse(_ list: JSONValue, group: String, version: String) throws -> [Resource] {
        (list["resources"]?.arrayValue ?? []).compactMap { item in
            guard let name = item["name"]?.stringValue, !name.contains("/"), let kind = item["kind"]?.stringValue else { return nil }
            return Resource(
                group: group, version: version, name: name, kind: kind, namespaced: item["namespaced"]?.boolValue ?? false,
                shortNames: (item["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue),
                singular: item["singularName"]?.stringValue ?? "", verbs: (item["verbs"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
    }

    /// The resource `text` names, as kubectl reads it: plural, singular, kind or short name, optionally
    /// `.group`; `apiVersion` narrows it to one group and version.
    func resolve(_ text: String, apiVersion: String?, client: KubeClient) async throws -> Resource {
        let all = try await resources(client)
        let wanted = text.lowercased()
        let (base, group): (String, String?) = {
            guard let dot = wanted.firstIndex(of: ".") else { return (wanted, nil) }
            return (String(wanted[..<dot]), String(wanted[wanted.index(after: dot)...]))
        }()
        let matches = all.filter { resource in
            if let apiVersion, resource.apiVersion != apiVersion { return false }
            if let group, resource.group != group { return false }
            return resource.name == base || resource.singular == base || resource.kind.lowercased() == base
                || resource.shortNames.contains(base)
        }
        if let first = matches.first { return first }
        let suggestions = all.filter { $0.name.hasPrefix(String(base.prefix(3))) || $0.kind.lowercased().contains(base) }
            .prefix(5).map(\.qualifiedName)
        throw ClusterError.unknownResource(cluster: client.name, name: text, suggestions: Array(suggestions))
    }
}

import FathomCore
import Foundation

/// The configured Prometheus, Alertmanager, Loki and Tempo endpoints, and how a tool picks one:
/// by name, by cluster, or the first of its kind.
public struct ObservabilityEndpoints: Sendable {
    public let settings: FathomConfig.ObservabilitySettings
    public let cursors: ResultCursors
    /// The clock for "now" in time arguments; tests pin it.
    public let now: @Sendable () -> Date
    private let clients: [String: [EndpointClient]]

    /// - Throws: ``EndpointError/tls`` when an endpoint's certificate or key cannot be loaded.
    public init(
        settings: FathomConfig.ObservabilitySettings, cursors: ResultCursors = ResultCursors(), now: @escaping @Sendable () -> Date = Date.init
    ) throws {
        self.settings = settings
        self.cursors = cursors
        self.now = now
        var clients: [String: [EndpointClient]] = [:]
        for (kind, endpoint) in settings.all {
            clients[kind, default: []].append(
                try EndpointClient(kind: kind, endpoint: endpoint, maxResponseBytes: settings.maxResponseBytes))
        }
        self.clients = clients
    }

    public func has(_ kind: String) -> Bool { !(clients[kind] ?? []).isEmpty }

    /// Every endpoint's client, in configuration order.
    public var allClients: [EndpointClient] {
        settings.all.compactMap { kind, endpoint in clients[kind]?.first { $0.endpoint.name == endpoint.name } }
    }

    /// The endpoint named `name`, else the first whose cluster is `cluster`, else the first of its kind.
    /// - Throws: ``EndpointError`` when none is configured or none matches.
    public func client(_ kind: String, endpoint name: String?, cluster: String?) throws -> EndpointClient {
        let all = clients[kind] ?? []
        guard let first = all.first else { throw EndpointError.notConfigured(kind: kind) }
        if let name, !name.isEmpty {
            if let match = all.first(where: { $0.endpoint.name == name }) ?? all.first(where: { $0.endpoint.cluster == name }) {
                return match
            }
            throw EndpointError.unknownEndpoint(kind: kind, name: name, known: Self.names(all))
        }
        if let cluster, !cluster.isEmpty {
            guard let match = all.first(where: { $0.endpoint.cluster == cluster }) else {
                throw EndpointError.unknownEndpoint(kind: kind, name: cluster, known: Self.names(all))
            }
            return match
        }
        return first
    }

    public func prometheus(endpoint: String?, cluster: String?) throws -> PrometheusClient {
        PrometheusClient(try client("prometheus", endpoint: endpoint, cluster: cluster))
    }

    /// The Prometheus endpoints of a cluster group, of the listed clusters, or all of them.
    /// A Prometheus range query and what it covered, as `prometheus_query_range` and `detect_anomalies` run it.
    struct RangeAnswer {
        var prometheus: PrometheusClient
        var result: PrometheusResult
        var window: (start: Date, end: Date, step: Double)
        /// `2026-11-23T01:00:00Z to 2026-11-23T02:00:00Z, step 15s`.
        var span: String {
            "\(window.start.formatted(.iso8601)) to \(window.end.formatted(.iso8601)), step \(TimeArguments.format(seconds: window.step))"
        }
    }

    /// Runs `query` over the window that `start`, `end`, `duration` and `step` name, the step raised so that no
    /// series has more than `max_points` points.
    func rangeQuery(
        _ query: String, start: String?, end: String?, duration: String?, step: String?, endpoint: String?, cluster: String?
    ) async throws -> RangeAnswer {
        let prometheus = try self.prometheus(endpoint: endpoint, cluster: cluster)
        let window = try TimeArguments.range(
            start: start, end: end, duration: duration, step: step, maxPoints: settings.maxPoints, now: now())
        let result = try await prometheus.rangeQuery(query, start: window.start, end: window.end, step: window.step)
        return RangeAnswer(prometheus: prometheus, result: result, window: window)
    }

    public func prometheusFleet(group: String?, clusters: [String]?) throws -> [PrometheusClient] {
        let all = clients["prometheus"] ?? []
        guard !all.isEmpty else { throw EndpointError.notConfigured(kind: "prometheus") }
        var wanted: [String]? = clusters.flatMap { $0.isEmpty ? nil : $0 }
        if let group, !group.isEmpty {
            guard let members = settings.clusterGroups[group] else {
                throw EndpointError.unknownClusterGroup(group, known: settings.clusterGroups.keys.sorted())
            }
            wanted = members
        }
        guard let wanted else { return all.map(PrometheusClient.init) }
        let chosen = all.filter { client in wanted.contains(client.endpoint.cluster ?? client.endpoint.name) }
        guard !chosen.isEmpty else {
            throw EndpointError.unknownEndpoint(kind: "prometheus", name: wanted.joined(separator: ", "), known: Self.names(all))
        }
        return chosen.map(PrometheusClient.init)
    }

    private static func names(_ clients: [EndpointClient]) -> [String] {
        clients.map { client in client.endpoint.cluster.map { "\(client.endpoint.name) (cluster \($0))" } ?? client.endpoint.name }
    }
}

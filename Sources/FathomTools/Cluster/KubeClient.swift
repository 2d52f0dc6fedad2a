import FathomCore
import NIOCore
import NIOHTTP1

/// Requests to one cluster's API server, with Kubernetes `Status` errors turned into ``ClusterError``s.
public struct KubeClient: Sendable {
    public let cluster: FathomConfig.KubeCluster
    let http: EndpointClient
    let discovery: KubeDiscovery

    init(cluster: FathomConfig.KubeCluster, settings: FathomConfig.ClusterSettings) throws {
        self.cluster = cluster
        var endpoint = cluster.endpoint
        endpoint.timeoutSeconds = settings.timeoutSeconds
        http = try EndpointClient(
            kind: "kubernetes", endpoint: endpoint, maxResponseBytes: settings.maxResponseBytes, returnsRefusals: true)
        discovery = KubeDiscovery()
    }

    public var name: String { cluster.name }

    /// A JSON request; `body` is sent as JSON, or as `contentType` (a merge patch).
    public func json(
        _ method: HTTPMethod = .GET, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
        contentType: String = "application/json", accept: String? = nil
    ) async throws -> JSONValue {
        let response = try await http.send(
            method, Self.target(path, query), body: body.map { JSONWriter.write($0) }, contentType: body == nil ? nil : contentType,
            accept: accept)
        try check(response)
        do {
            return try response.body.withUnsafeReadableBytes { try JSONParser.parse($0) }
        } catch {
            throw EndpointError.invalidResponse(kind: "kubernetes", name: name, reason: "the body is not JSON (\(error))")
        }
    }

    /// A text body (pod logs).
    public func text(_ path: String, query: [(String, String)] = []) async throws -> String {
        let response = try await http.send(.GET, Self.target(path, query), accept: "text/plain, */*")
        try check(response)
        return String(buffer: response.body)
    }

    static func target(_ path: String, _ query: [(String, String)]) -> String {
        query.isEmpty ? path : path + "?" + EndpointClient.formEncode(query)
    }

    /// Turns a non-2xx answer into an error that carries the server's `Status` message.
    private func check(_ response: EndpointClient.Response) throws {
        guard !(200..<300).contains(response.status) else { return }
        let status = try? response.body.withUnsafeReadableBytes { try JSONParser.parse($0) }
        let message =
            status?["message"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            ?? EndpointClient.excerpt(response.body).nonEmpty ?? "HTTP \(response.status)"
        switch response.status {
        case 401:
            throw EndpointError.authFailed(
                kind: "kubernetes", name: name, status: 401, auth: cluster.endpoint.auth.description, detail: message)
        case 403: throw ClusterError.forbidden(cluster: name, message: message)
        case 404: throw ClusterError.notFound(cluster: name, message: message)
        case 409: throw ClusterError.conflict(cluster: name, message: message)
        default: throw EndpointError.api(kind: "kubernetes", name: name, status: response.status, message: message)
        }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}

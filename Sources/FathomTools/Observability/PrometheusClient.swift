import FathomCore
import Foundation

/// The Prometheus HTTP API (`/api/v1/...`), as Prometheus 2.x and 3.x serve it.
public struct PrometheusClient: Sendable {
    public let endpoint: EndpointClient

    public init(_ endpoint: EndpointClient) {
        self.endpoint = endpoint
    }

    public var name: String { endpoint.endpoint.name }

    /// Evaluates `query` at `time` (now when nil).
    public func instantQuery(_ query: String, at time: Date?) async throws -> PrometheusResult {
        var parameters = [("query", query)]
        if let time { parameters.append(("time", TimeArguments.unix(time))) }
        return try await result(try await api("/api/v1/query", parameters))
    }

    /// Evaluates `query` over `[start, end]` every `step` seconds.
    public func rangeQuery(_ query: String, start: Date, end: Date, step: Double) async throws -> PrometheusResult {
        try await result(
            try await api(
                "/api/v1/query_range",
                [("query", query), ("start", TimeArguments.unix(start)), ("end", TimeArguments.unix(end)), ("step", String(step))]))
    }

    /// Calls one API path and returns its `data`, with any `warnings`.
    public func api(_ path: String, _ parameters: [(String, String)] = []) async throws -> (data: JSONValue, warnings: [String]) {
        try await endpoint.envelopeData(path, parameters)
    }

    private func result(_ response: (data: JSONValue, warnings: [String])) async throws -> PrometheusResult {
        do {
            return try PrometheusResult(data: response.data, warnings: response.warnings)
        } catch {
            throw EndpointError.invalidResponse(kind: endpoint.kind, name: name, reason: "\(error)")
        }
    }
}

import FathomCore
import Foundation
import NIOCore

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
    /// - Throws: ``EndpointError/api`` with Prometheus's own `error` text (a PromQL syntax error, a bad matcher).
    public func api(_ path: String, _ parameters: [(String, String)] = []) async throws -> (data: JSONValue, warnings: [String]) {
        let response = try await endpoint.get(path, query: parameters)
        let document: JSONValue
        do {
            document = try response.body.withUnsafeReadableBytes { try JSONParser.parse($0) }
        } catch {
            if response.status != 200 {
                throw EndpointError.api(
                    kind: endpoint.kind, name: name, status: response.status, message: EndpointClient.excerpt(response.body))
            }
            throw EndpointError.invalidResponse(kind: endpoint.kind, name: name, reason: "the body is not JSON (\(error))")
        }
        guard document["status"]?.stringValue == "success" else {
            let type = document["errorType"]?.stringValue.map { "\($0): " } ?? ""
            let message = document["error"]?.stringValue ?? EndpointClient.excerpt(response.body)
            throw EndpointError.api(kind: endpoint.kind, name: name, status: response.status, message: type + message)
        }
        let warnings = (document["warnings"]?.arrayValue ?? []).compactMap(\.stringValue)
            + (document["infos"]?.arrayValue ?? []).compactMap(\.stringValue)
        return (document["data"] ?? .null, warnings)
    }

    private func result(_ response: (data: JSONValue, warnings: [String])) async throws -> PrometheusResult {
        do {
            return try PrometheusResult(data: response.data, warnings: response.warnings)
        } catch {
            throw EndpointError.invalidResponse(kind: endpoint.kind, name: name, reason: "\(error)")
        }
    }
}

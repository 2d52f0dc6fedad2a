import FathomCore
import NIOCore
import NIOHTTP1

extension EndpointClient {
    /// Sends a request and returns the JSON body.
    /// - Throws: ``EndpointError/api`` with the server's own message for any status but 2xx, and
    ///   ``EndpointError/invalidResponse`` for a body that is not JSON.
    public func json(_ method: HTTPMethod = .GET, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil) async throws -> JSONValue {
        let response: Response
        if method == .GET {
            response = try await get(path, query: query)
        } else {
            let target = query.isEmpty ? path : path + "?" + Self.formEncode(query)
            response = try await send(method, target, body: body.map { JSONWriter.write($0) }, contentType: body == nil ? nil : "application/json")
        }
        guard (200..<300).contains(response.status) else {
            throw apiError(response)
        }
        guard response.body.readableBytes > 0 else { return .null }
        return try parse(response)
    }

    /// The `data` of a Prometheus-style envelope (`{"status": "success", "data": …, "warnings": […]}`),
    /// which Prometheus and Loki both answer with.
    /// - Throws: ``EndpointError/api`` with the `errorType` and `error` (a PromQL or LogQL syntax error), or
    ///   the text body Loki sends for its errors.
    public func envelopeData(_ path: String, _ parameters: [(String, String)] = []) async throws -> (data: JSONValue, warnings: [String]) {
        let response = try await get(path, query: parameters)
        let document: JSONValue
        do {
            document = try parse(response)
        } catch {
            if response.status != 200 { throw apiError(response) }
            throw error
        }
        guard document["status"]?.stringValue == "success" else {
            let type = document["errorType"]?.stringValue.map { "\($0): " } ?? ""
            let message = document["error"]?.stringValue ?? Self.excerpt(response.body)
            throw EndpointError.api(kind: kind, name: endpoint.name, status: response.status, message: type + message)
        }
        let warnings = (document["warnings"]?.arrayValue ?? []).compactMap(\.stringValue)
            + (document["infos"]?.arrayValue ?? []).compactMap(\.stringValue)
        return (document["data"] ?? .null, warnings)
    }

    private func parse(_ response: Response) throws -> JSONValue {
        do {
            return try response.body.withUnsafeReadableBytes { try JSONParser.parse($0) }
        } catch {
            throw EndpointError.invalidResponse(kind: kind, name: endpoint.name, reason: "the body is not JSON (\(error))")
        }
    }

    private func apiError(_ response: Response) -> EndpointError {
        var message = Self.excerpt(response.body)
        // Some APIs (Alertmanager) write an error as a JSON string.
        if let text = (try? JSONParser.parse(message))?.stringValue { message = text }
        if message.isEmpty { message = "no message" }
        return .api(kind: kind, name: endpoint.name, status: response.status, message: message)
    }
}

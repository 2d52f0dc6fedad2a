import FathomCore

/// One cheap request per endpoint that shows it answers, with these credentials, and what it is.
public enum EndpointProbe {
    /// - Returns: what the endpoint says it is (a version), or "ready".
    /// - Throws: ``EndpointError`` exactly as a tool call would meet it.
    public static func check(_ client: EndpointClient) async throws -> String {
        switch client.kind {
        case "prometheus":
            let info = try await client.envelopeData("/api/v1/status/buildinfo").data
            return "Prometheus " + (info["version"]?.stringValue ?? "?")
        case "alertmanager":
            let status = try await client.json(.GET, "/api/v2/status")
            return "Alertmanager " + (status["versionInfo"]?["version"]?.stringValue ?? "?") + ", cluster "
                + (status["cluster"]?["status"]?.stringValue ?? "?")
        default:
            // Loki and Tempo both answer /ready with 200 once they can serve queries.
            let response = try await client.get("/ready")
            guard response.status == 200 else {
                throw EndpointError.api(kind: client.kind, name: client.endpoint.name, status: response.status, message: EndpointClient.excerpt(response.body))
            }
            return "ready"
        }
    }
}

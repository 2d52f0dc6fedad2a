import FathomCore

struct PrometheusTargetsTool: Tool {
    struct Arguments: Decodable, Sendable {
        var health: String?
        var job: String?
        var limit: Int?
        var endpoint: String?
        var cluster: String?
    }

    static let name = "prometheus_targets"
    static let title = "Scrape targets"
    static let description = "Scrape targets with their health, last error and scrape duration; unhealthy ones first."
    static let inputSchema = ObservabilityToolset.schema([
        "health": ["type": "string", "enum": ["up", "down", "unknown"], "description": "Only targets in this state."],
        "job": ["type": "string", "maxLength": 256, "description": "Only this job (scrape pool)."],
        "limit": ["type": "integer", "minimum": 1, "maximum": 5000, "description": "Targets to show (default 100)."],
    ])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ObservabilityToolset.name
    let endpoints: ObservabilityEndpoints

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let prometheus = try endpoints.prometheus(endpoint: arguments.endpoint, cluster: arguments.cluster)
        let data = try await prometheus.api("/api/v1/targets", [("state", "active")]).data
        let targets = (data["activeTargets"]?.arrayValue ?? []).filter { target in
            (arguments.health == nil || target["health"]?.stringValue == arguments.health)
                && (arguments.job == nil || target["scrapePool"]?.stringValue == arguments.job || target["labels"]?["job"]?.stringValue == arguments.job)
        }
        var counts: [String: Int] = [:]
        let rows = targets.map { target -> (rank: Int, line: String, json: JSONValue) in
            let health = target["health"]?.stringValue ?? "unknown"
            counts[health, default: 0] += 1
            let job = target["labels"]?["job"]?.stringValue ?? target["scrapePool"]?.stringValue ?? ""
            let instance = target["labels"]?["instance"]?.stringValue ?? ""
            let error = target["lastError"]?.stringValue ?? ""
            let duration = target["lastScrapeDuration"]?.doubleValue ?? 0
            let json: JSONValue = [
                "job": .string(job), "instance": .string(instance), "health": .string(health), "lastError": .string(error),
                "lastScrape": target["lastScrape"] ?? .null, "lastScrapeDurationSeconds": .double(duration),
                "scrapeUrl": target["scrapeUrl"] ?? .null,
            ]
            let line = "\(health.uppercased()) \(job) \(instance) scrape \(SeriesSummary.format(duration * 1000))ms"
                + (error.isEmpty ? "" : " error: \(error)")
            return (health == "up" ? 1 : 0, line, json)
        }.sorted { ($0.rank, $0.line) < ($1.rank, $1.line) }
        let tally = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return ListedItems(
            header: "prometheus '\(prometheus.name)' targets (\(tally.isEmpty ? "none" : tally))", items: rows.map { ($0.line, $0.json) },
            limit: arguments.limit ?? 100, cursors: endpoints.cursors,
            extra: ["endpoint": .string(prometheus.name), "health": .object(counts.mapValues { .int($0) })], noun: "targets"
        ).toolResult()
    }
}

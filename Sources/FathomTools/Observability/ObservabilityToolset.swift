import FathomCore

/// Prometheus, Alertmanager, Loki and Tempo: the tools an SRE, or an RCA, reaches for first.
/// Tools of a kind are offered only when an endpoint of that kind is configured.
public enum ObservabilityToolset {
    public static let name = "observability"

    public static func tools(_ endpoints: ObservabilityEndpoints) -> [any Tool] {
        var tools: [any Tool] = []
        if !endpoints.settings.all.isEmpty {
            tools += [ObservabilityEndpointsTool(endpoints: endpoints), QueryResultPageTool(cursors: endpoints.cursors)]
        }
        if endpoints.has("prometheus") {
            tools += [
                PrometheusQueryTool(endpoints: endpoints),
                PrometheusQueryRangeTool(endpoints: endpoints),
                PrometheusFederatedQueryTool(endpoints: endpoints),
                PrometheusSeriesTool(endpoints: endpoints),
                PrometheusLabelNamesTool(endpoints: endpoints),
                PrometheusLabelValuesTool(endpoints: endpoints),
                PrometheusMetadataTool(endpoints: endpoints),
                PrometheusTargetsTool(endpoints: endpoints),
                PrometheusRulesTool(endpoints: endpoints),
                PrometheusAlertsTool(endpoints: endpoints),
                DetectAnomaliesTool(endpoints: endpoints),
            ]
        }
        if endpoints.has("alertmanager") {
            tools += [
                AlertmanagerAlertsTool(endpoints: endpoints),
                AlertmanagerSilencesTool(endpoints: endpoints),
                AlertmanagerStatusTool(endpoints: endpoints),
                AlertmanagerCreateSilenceTool(endpoints: endpoints),
                AlertmanagerExpireSilenceTool(endpoints: endpoints),
            ]
        }
        if endpoints.has("loki") {
            tools += [LokiQueryRangeTool(endpoints: endpoints), LokiLabelsTool(endpoints: endpoints)]
        }
        if endpoints.has("tempo") {
            tools += [TempoSearchTool(endpoints: endpoints), TempoGetTraceTool(endpoints: endpoints)]
        }
        return tools
    }

    /// `endpoint` and `cluster`, which every tool that reads one endpoint takes.
    static let endpointProperties: [String: JSONValue] = [
        "endpoint": [
            "type": "string", "maxLength": 64,
            "description": "Configured endpoint name (see observability_endpoints); default: the first one.",
        ],
        "cluster": ["type": "string", "maxLength": 128, "description": "Pick the endpoint labelled with this cluster."],
    ]

    static func schema(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        var all = endpointProperties
        for (key, value) in properties { all[key] = value }
        return [
            "type": "object", "properties": .object(all), "required": .array(required.map { .string($0) }),
            "additionalProperties": false,
        ]
    }

    static let timeProperty: JSONValue = [
        "type": "string", "maxLength": 64,
        "description": "RFC 3339, Unix seconds, 'now' or 'now-1h'.",
    ]
    static let matchProperty: JSONValue = [
        "type": "array", "items": ["type": "string", "minLength": 1, "maxLength": 4096], "maxItems": 32,
        "description": "Series selectors, e.g. up{job=\"node\"}.",
    ]

    static let matchersProperty: JSONValue = [
        "type": "array", "items": ["type": "string", "minLength": 2, "maxLength": 1024], "maxItems": 32,
        "description": "Label matchers, all of which must hold: name=\"v\", name!=\"v\", name=~\"regex\", name!~\"regex\".",
    ]

    /// Query text is bounded: a megabyte of PromQL is a mistake or an attack, not a question.
    static let queryProperty: JSONValue = ["type": "string", "minLength": 1, "maxLength": 16384, "description": "PromQL expression."]
}

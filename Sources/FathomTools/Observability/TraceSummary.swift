import FathomCore
import Foundation

/// A trace in OTLP JSON (Tempo's `/api/traces/{id}`), read into spans and summarized: services,
/// errors first, the slowest spans, and the span tree to a bounded size.
struct TraceSummary {
    struct Span {
        var id: String
        var parent: String?
        var service: String
        var name: String
        var start: Int64
        var end: Int64
        var isError: Bool
        var statusMessage: String
        var attributes: [String: String]

        var durationMilliseconds: Double { Double(end - start) / 1e6 }
    }

    var spans: [Span] = []

    /// Reads `batches` (Tempo's v1 answer) or `resourceSpans` (OTLP, and `trace` of v2).
    init(_ document: JSONValue) {
        let batches = document["batches"]?.arrayValue ?? document["resourceSpans"]?.arrayValue
            ?? document["trace"]?["resourceSpans"]?.arrayValue ?? []
        for batch in batches {
            let resource = Self.attributes(batch["resource"]?["attributes"])
            let service = resource["service.name"] ?? "unknown"
            let scopes = batch["scopeSpans"]?.arrayValue ?? batch["instrumentationLibrarySpans"]?.arrayValue ?? []
            for scope in scopes {
                for span in scope["spans"]?.arrayValue ?? [] {
                    let status = span["status"]
                    let code = status?["code"]
                    let isError = code?.stringValue == "STATUS_CODE_ERROR" || code?.intValue == 2
                    spans.append(
                        Span(
                            id: Self.hexID(span["spanId"]?.stringValue ?? ""),
                            parent: span["parentSpanId"]?.stringValue.flatMap { $0.isEmpty ? nil : Self.hexID($0) },
                            service: service, name: span["name"]?.stringValue ?? "",
                            start: Self.nanoseconds(span["startTimeUnixNano"]), end: Self.nanoseconds(span["endTimeUnixNano"]),
                            isError: isError, statusMessage: status?["message"]?.stringValue ?? "",
                            attributes: Self.attributes(span["attributes"])))
                }
            }
        }
        spans.sort { ($0.start, $0.id) < ($1.start, $1.id) }
    }

    /// Tempo's v1 JSON carries ids as base64 (protobuf bytes); people and search results use hex.
    static func hexID(_ text: String) -> String {
        if text.count % 2 == 0, text.allSatisfy(\.isHexDigit), text.count == 16 || text.count == 32 { return text.lowercased() }
        guard let data = Data(base64Encoded: text) else { return text }
        return Hex.encode(data)
    }

    static func attributes(_ value: JSONValue?) -> [String: String] {
        var out: [String: String] = [:]
        for attribute in value?.arrayValue ?? [] {
            guard let key = attribute["key"]?.stringValue, let value = attribute["value"]?.objectValue?.first?.value else { continue }
            out[key] = value.stringValue ?? value.encodedString()
        }
        return out
    }

    static func nanoseconds(_ value: JSONValue?) -> Int64 {
        value?.stringValue.flatMap { Int64($0) } ?? value?.intValue.map(Int64.init) ?? 0
    }

    func toolResult(traceID: String, endpoint: String, maxTreeSpans: Int = 150) -> ToolResult {
        guard let first = spans.first else {
            return .text("trace \(traceID) has no spans", structured: ["traceID": .string(traceID), "spanCount": 0])
        }
        let start = first.start
        let end = spans.map(\.end).max() ?? start
        let services = Dictionary(grouping: spans, by: \.service).mapValues(\.count)
        let errors = spans.filter(\.isError)
        let slowest = spans.sorted { ($0.end - $0.start, $1.id) > ($1.end - $1.start, $0.id) }.prefix(10)
        let ids = Set(spans.map(\.id))
        // A span whose parent is missing (not yet received, or cut) is a root too.
        let roots = spans.filter { span in span.parent.map { !ids.contains($0) } ?? true }
        let root = roots.first ?? first
        var lines = [
            "trace \(traceID) · \(spans.count) spans · \(SeriesSummary.format(Double(end - start) / 1e6)) ms · root \(root.service): \(root.name)",
            "services: " + services.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", "),
        ]
        if !errors.isEmpty {
            lines.append("errors (\(errors.count)):")
            lines += errors.map { "  \(describe($0))" }
        }
        lines.append("slowest:")
        lines += slowest.map { "  \(describe($0))" }
        lines.append("tree:")
        var tree: [String] = []
        let children = Dictionary(grouping: spans.filter { $0.parent != nil }, by: { $0.parent ?? "" })
        func walk(_ span: Span, depth: Int) {
            guard tree.count < maxTreeSpans else { return }
            tree.append(String(repeating: "  ", count: depth + 1) + "+\(SeriesSummary.format(Double(span.start - start) / 1e6))ms " + describe(span))
            for child in children[span.id] ?? [] { walk(child, depth: depth + 1) }
        }
        for span in roots { walk(span, depth: 0) }
        lines += tree
        if tree.count < spans.count { lines.append("[tree shows \(tree.count) of \(spans.count) spans]") }
        return .text(
            lines.joined(separator: "\n"),
            structured: [
                "traceID": .string(traceID), "endpoint": .string(endpoint), "spanCount": .int(spans.count),
                "durationMs": .double(Double(end - start) / 1e6), "rootService": .string(root.service), "rootName": .string(root.name),
                "services": .object(services.mapValues { .int($0) }),
                "errors": .array(errors.map(json)), "slowest": .array(slowest.map(json)),
            ])
    }

    private func describe(_ span: Span) -> String {
        var text = "\(span.service): \(span.name) \(SeriesSummary.format(span.durationMilliseconds)) ms"
        if let status = span.attributes["http.status_code"] ?? span.attributes["http.response.status_code"] { text += " http \(status)" }
        if span.isError { text += " ERROR" + (span.statusMessage.isEmpty ? "" : " \(span.statusMessage)") }
        return text
    }

    private func json(_ span: Span) -> JSONValue {
        [
            "spanID": .string(span.id), "service": .string(span.service), "name": .string(span.name),
            "durationMs": .double(span.durationMilliseconds), "error": .bool(span.isError), "statusMessage": .string(span.statusMessage),
            "attributes": .object(span.attributes.mapValues { .string($0) }),
        ]
    }
}

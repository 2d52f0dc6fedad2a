import FathomCore
import Foundation

struct PodsLogTool: Tool {
    struct Arguments: Decodable, Sendable {
        var cluster: String?
        var name: String
        var namespace: String?
        var container: String?
        var tail_lines: Int?
        var since: String?
        var previous: Bool?
        var contains: String?
        var regex: String?
        var level: String?
        var max_bytes: Int?
    }

    static let name = "pods_log"
    static let title = "Read a pod's logs"
    static let description = "A container's log, newest lines last: tail, since, or the previous (crashed) instance. Filter by text, regex, or level (error keeps error and fatal lines; warn adds warnings). The last `tail_lines` matching lines are kept, capped at max_bytes."
    static let inputSchema = ClusterToolset.schema(
        [
            "name": ClusterToolset.name("Pod name."),
            "namespace": ClusterToolset.name("Namespace; default: the cluster's."),
            "container": ClusterToolset.name("Container; needed when the pod has several."),
            "tail_lines": ["type": "integer", "minimum": 1, "maximum": 100_000, "description": "Last lines kept (default 200)."],
            "since": ["type": "string", "maxLength": 32, "description": "Only lines from this window: '10m', '2h' or seconds."],
            "previous": ["type": "boolean", "description": "The previous instance of the container: why it crashed."],
            "contains": ["type": "string", "minLength": 1, "maxLength": 1024, "description": "Keep lines containing this text (case-insensitive)."],
            "regex": ["type": "string", "minLength": 1, "maxLength": 1024, "description": "Keep lines matching this regular expression."],
            "level": ["type": "string", "enum": ["error", "warn", "info", "debug"], "description": "Keep lines at this level or worse."],
            "max_bytes": ["type": "integer", "minimum": 256, "maximum": 16_777_216, "description": "Cap on the text returned (default cluster.max_log_bytes)."],
        ],
        required: ["name"])
    static let annotations = ToolAnnotations.readOnly(openWorld: true)
    static let toolset = ClusterToolset.name
    let clusters: KubeClusters

    /// How many lines are read from the server when filtering, so the last matches can be found.
    static let filterWindow = 100_000

    func call(_ arguments: Arguments, context: ToolContext) async throws -> ToolResult {
        let client = try clusters.client(arguments.cluster)
        let namespace = arguments.namespace ?? client.cluster.namespace
        let tail = arguments.tail_lines ?? 200
        let regex = try arguments.regex.map { pattern in
            do {
                return try NSRegularExpression(pattern: pattern)
            } catch {
                throw ClusterError.invalidArgument("regex is not a valid regular expression: \(pattern.prefix(100))")
            }
        }
        let level = arguments.level.flatMap(LogLevel.init(name:))
        let filtering = arguments.contains != nil || regex != nil || level != nil
        var query: [(String, String)] = [("tailLines", String(filtering ? Self.filterWindow : tail))]
        if let container = arguments.container { query.append(("container", container)) }
        if let since = arguments.since { query.append(("sinceSeconds", String(Int(try TimeArguments.duration(since, argument: "since").rounded(.up))))) }
        if arguments.previous == true { query.append(("previous", "true")) }
        let path = KubeDiscovery.Resource.pods.path(namespace: namespace, object: arguments.name) + "/log"
        let text = try await client.text(path, query: query)

        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        let total = lines.count
        if filtering {
            let needle = arguments.contains?.lowercased()
            lines = lines.filter { line in
                if let needle, !line.lowercased().contains(needle) { return false }
                if let regex {
                    let string = String(line)
                    if regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) == nil { return false }
                }
                if let level { return LogLevel.of(line).map { $0 >= level } ?? false }
                return true
            }
        }
        let matched = lines.count
        if lines.count > tail { lines = Array(lines.suffix(tail)) }
        let maxBytes = min(arguments.max_bytes ?? clusters.settings.maxLogBytes, clusters.settings.maxLogBytes)
        var kept: [Substring] = []
        var bytes = 0
        for line in lines.reversed() {
            let size = line.utf8.count + 1
            if bytes + size > maxBytes { break }
            bytes += size
            kept.append(line)
        }
        kept.reverse()
        let dropped = lines.count - kept.count
        var header = "pod \(namespace)/\(arguments.name)" + (arguments.container.map { " container \($0)" } ?? "")
            + (arguments.previous == true ? " (previous instance)" : "")
        header += filtering ? " · \(matched) of \(total) lines match" : " · \(total) lines"
        if kept.count < matched { header += ", last \(kept.count) shown" }
        var output = [header]
        if dropped > 0 { output.append("[truncated: \(dropped) earlier lines over the \(maxBytes)-byte cap not shown]") }
        output.append(contentsOf: kept.map(String.init))
        // A password in a log line is masked like any other secret that shows up in a cluster read.
        return .text(
            ClusterRedaction.redactor.redact(output.joined(separator: "\n")),
            structured: [
                "cluster": .string(client.name), "pod": .string(arguments.name), "namespace": .string(namespace),
                "lines": .int(kept.count), "matched": .int(matched), "total": .int(total), "truncated": .bool(dropped > 0),
            ])
    }
}

/// A log line's severity, from the usual spellings: `level=error`, `"level":"warn"`, `ERROR`, `[warn]`, klog's `E1123`.
enum LogLevel: Int, Comparable {
    case debug, info, warn, error

    init?(name: String) {
        switch name {
        case "debug": self = .debug
        case "info": self = .info
        case "warn": self = .warn
        case "error": self = .error
        default: return nil
        }
    }

    static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }

    private static let words: [(String, LogLevel)] = [
        ("fatal", .error), ("panic", .error), ("critical", .error), ("crit", .error), ("error", .error), ("err", .error),
        ("warning", .warn), ("warn", .warn), ("info", .info), ("notice", .info), ("debug", .debug), ("trace", .debug),
    ]

    static func of(_ line: Substring) -> LogLevel? {
        let bytes = Array(line.utf8.prefix(512))
        // klog: "E1123 10:00:00.000000 …"
        if bytes.count > 5, let first = bytes.first, "EWIF".utf8.contains(first), bytes[1...4].allSatisfy({ (48...57).contains($0) }) {
            switch first {
            case UInt8(ascii: "E"), UInt8(ascii: "F"): return .error
            case UInt8(ascii: "W"): return .warn
            default: return .info
            }
        }
        // The first level word that stands alone (delimited by non-letters) decides.
        let lowered = bytes.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        var index = 0
        while index < lowered.count {
            guard (97...122).contains(lowered[index]) else { index += 1; continue }
            var end = index
            while end < lowered.count, (97...122).contains(lowered[end]) { end += 1 }
            if end - index <= 8, let level = words.first(where: { $0.0.utf8.elementsEqual(lowered[index..<end]) })?.1 {
                return level
            }
            index = end
        }
        return nil
    }
}

import FathomCore
import Foundation

/// Reading Kubernetes objects for people: ages as kubectl prints them, timestamps, quantities, and
/// aligned tables.
enum KubeFormat {
    /// Seconds since the epoch of an RFC 3339 time as the API server writes it (`2026-11-23T01:00:00Z`,
    /// optionally with fractions or an offset). Parsed by hand: Foundation's parser costs microseconds
    /// per call, and a list has one per object and container.
    static func time(_ text: String?) -> Double? {
        guard let text else { return nil }
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ") else {
            return nil
        }
        func number(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for index in start..<(start + count) {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < bytes.count, (48...57).contains(bytes[index]) {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"), index + 6 <= bytes.count,
            let hours = number(index + 1, 2), let minutes = number(index + 4, 2)
        {
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        }
        // Days from the civil date (Howard Hinnant's algorithm), so no calendar or time zone is consulted.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }

    /// kubectl's age: `45s`, `3m12s`, `5h`, `2d3h`, `400d`.
    static func age(_ timestamp: String?, now: Double) -> String {
        guard let then = time(timestamp) else { return "<unknown>" }
        return duration(now - then)
    }

    /// apimachinery's `HumanDuration`.
    static func duration(_ seconds: Double) -> String {
        if seconds < -1 { return "<invalid>" }
        let total = max(0, Int(seconds))
        let minutes = total / 60
        let hours = total / 3600
        switch total {
        case ..<120: return "\(total)s"
        case _ where minutes < 10: return total % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(total % 60)s"
        case _ where minutes < 180: return "\(minutes)m"
        case _ where hours < 8: return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m"
        case _ where hours < 48: return "\(hours)h"
        case _ where hours < 192: return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h"
        case _ where hours < 24 * 365 * 2: return "\(hours / 24)d"
        case _ where hours < 24 * 365 * 8: return "\(hours / 24 / 365)y\((hours / 24) % 365)d"
        default: return "\(hours / 24 / 365)y"
        }
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    /// A resource quantity (`100m`, `2`, `128Mi`, `1G`, `1e3`) as a number: cores for CPU, bytes for memory.
    static func quantity(_ text: String?) -> Double? {
        guard let text, !text.isEmpty else { return nil }
        let suffixes: [(String, Double)] = [
            ("Ki", 0x1p10), ("Mi", 0x1p20), ("Gi", 0x1p30), ("Ti", 0x1p40), ("Pi", 0x1p50), ("Ei", 0x1p60),
            ("n", 1e-9), ("u", 1e-6), ("m", 1e-3), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18),
        ]
        for (suffix, scale) in suffixes where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * scale }
        }
        return Double(text)
    }

    static func cpu(_ cores: Double) -> String {
        cores < 10 && cores != cores.rounded() ? "\(Int((cores * 1000).rounded()))m" : "\(Int(cores.rounded()))"
    }

    static func bytes(_ value: Double) -> String {
        let units: [(String, Double)] = [("Ti", 0x1p40), ("Gi", 0x1p30), ("Mi", 0x1p20), ("Ki", 0x1p10)]
        for (unit, scale) in units where value >= scale {
            return "\(Int((value / scale).rounded()))\(unit)"
        }
        return "\(Int(value))"
    }

    static func percent(_ part: Double, of whole: Double) -> String {
        whole > 0 ? "\(Int((part / whole * 100).rounded()))%" : "-"
    }

    /// Columns padded to their widest cell, three spaces apart, as kubectl prints them.
    static func table(_ headers: [String], _ rows: [[String]]) -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (index, cell) in cells.enumerated() {
                out += cell
                if index < cells.count - 1 { out += String(repeating: " ", count: widths[index] - cell.count + 3) }
            }
            return out
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }

    /// `labels` as `a=b,c=d`.
    static func labels(_ value: JSONValue?) -> String {
        guard let object = value?.objectValue, !object.isEmpty else { return "" }
        return object.keys.sorted().map { "\($0)=\(object[$0]?.stringValue ?? "")" }.joined(separator: ",")
    }
}

extension JSONValue {
    /// `metadata.name`, `metadata.namespace` and `metadata.creationTimestamp`.
    var objectName: String { self["metadata"]?["name"]?.stringValue ?? "" }
    var objectNamespace: String? { self["metadata"]?["namespace"]?.stringValue }
    var created: String? { self["metadata"]?["creationTimestamp"]?.stringValue }
    /// `ns/name`, or `name` for a cluster-scoped object.
    var qualifiedName: String { objectNamespace.map { "\($0)/\(objectName)" } ?? objectName }

    /// `path` as dotted keys: `status.readyReplicas`.
    func at(_ path: String) -> JSONValue? {
        var value: JSONValue? = self
        for key in path.split(separator: ".") { value = value?[String(key)] }
        return value
    }
}

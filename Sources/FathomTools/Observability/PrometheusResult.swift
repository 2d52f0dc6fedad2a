import FathomCore

/// A PromQL result: instant vectors have one point per series, range matrices many, a scalar one
/// series without labels.
public struct PrometheusResult: Sendable, Equatable {
    public struct Series: Sendable, Equatable {
        public var labels: [String: String]
        /// (Unix seconds, value); values may be NaN or ±Inf, as Prometheus sends them.
        public var points: [Point]
    }

    public struct Point: Sendable, Equatable {
        public var time: Double
        public var value: Double
    }

    public var resultType: String
    public var series: [Series]
    /// Prometheus's own warnings (e.g. a PromQL info annotation).
    public var warnings: [String] = []

    /// Reads the `data` object of `/api/v1/query` and `/api/v1/query_range`.
    /// - Throws: a message saying what is missing.
    public init(data: JSONValue, warnings: [String] = []) throws {
        guard let type = data["resultType"]?.stringValue, let result = data["result"] else {
            throw PrometheusResultError("data has no resultType or result")
        }
        resultType = type
        self.warnings = warnings
        switch type {
        case "vector", "matrix":
            guard let items = result.arrayValue else { throw PrometheusResultError("result is not a list") }
            series = try items.map { item in
                var labels: [String: String] = [:]
                for (name, value) in item["metric"]?.objectValue ?? [:] {
                    labels[name] = value.stringValue ?? value.encodedString()
                }
                if let values = item["values"]?.arrayValue {
                    return Series(labels: labels, points: try values.map(Self.point))
                }
                if let value = item["value"] {
                    return Series(labels: labels, points: [try Self.point(value)])
                }
                // Native histograms ("histogram"/"histograms") have no float value to summarize.
                return Series(labels: labels, points: [])
            }
        case "scalar", "string":
            if type == "string" {
                series = [Series(labels: ["value": result.arrayValue?.last?.stringValue ?? ""], points: [])]
            } else {
                series = [Series(labels: [:], points: [try Self.point(result)])]
            }
        default:
            throw PrometheusResultError("unknown resultType '\(type)'")
        }
    }

    private static func point(_ value: JSONValue) throws -> Point {
        guard let pair = value.arrayValue, pair.count == 2, let time = pair[0].doubleValue,
            let text = pair[1].stringValue, let number = Self.number(text)
        else { throw PrometheusResultError("a sample is not [time, \"value\"]") }
        return Point(time: time, value: number)
    }

    /// Prometheus writes values as strings, including `NaN`, `+Inf` and `-Inf`.
    static func number(_ text: String) -> Double? {
        switch text {
        case "NaN": .nan
        case "+Inf", "Inf": .infinity
        case "-Inf": -.infinity
        default: Double(text)
        }
    }
}

struct PrometheusResultError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension PrometheusResult.Series {
    /// `up{instance="a:9100", job="node"}`: how Prometheus itself prints a series.
    public var selector: String {
        var out: [UInt8] = []
        out.reserveCapacity(64 + labels.count * 32)
        if let name = labels["__name__"] { out += name.utf8 }
        var first = true
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) where key != "__name__" {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            if !first { out.append(UInt8(ascii: " ")) }
            first = false
            out += key.utf8
            out += #"=""#.utf8
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\\"), UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), byte]
                case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                default: out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
        if !first { out.append(UInt8(ascii: "}")) }
        if out.isEmpty { return "{}" }
        return String(decoding: out, as: UTF8.self)
    }
}

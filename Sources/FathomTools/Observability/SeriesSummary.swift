import FathomCore
import Foundation

/// The few numbers that describe a series, so that thousands of series fit in a model's context.
public struct SeriesSummary: Sendable, Equatable {
    public enum Statistic: String, Sendable, CaseIterable {
        case max, min, avg, last
    }

    public var selector: String
    public var labels: [String: String]
    public var min: Double
    public var max: Double
    public var avg: Double
    public var last: Double
    /// Points with a number (NaN excluded).
    public var points: Int
    /// Where the series stands in its result, so its raw points are found without a second lookup.
    public var index: Int

    public init(_ series: PrometheusResult.Series, index: Int = 0) {
        self.index = index
        selector = series.selector
        labels = series.labels
        var low = Double.infinity
        var high = -Double.infinity
        var sum = 0.0
        var count = 0
        for point in series.points where !point.value.isNaN {
            low = Swift.min(low, point.value)
            high = Swift.max(high, point.value)
            sum += point.value
            count += 1
        }
        min = count > 0 ? low : .nan
        max = count > 0 ? high : .nan
        avg = count > 0 ? sum / Double(count) : .nan
        last = series.points.last?.value ?? .nan
        points = count
    }

    public func value(_ statistic: Statistic) -> Double {
        switch statistic {
        case .max: max
        case .min: min
        case .avg: avg
        case .last: last
        }
    }

    /// Highest first (lowest with `ascending`); NaN last; the selector breaks ties so output is stable.
    public static func ranked(_ summaries: [SeriesSummary], by statistic: Statistic, ascending: Bool = false) -> [SeriesSummary] {
        summaries.sorted { a, b in
            let x = a.value(statistic)
            let y = b.value(statistic)
            if x.isNaN != y.isNaN { return y.isNaN }
            if x != y && !x.isNaN { return ascending ? x < y : x > y }
            return a.selector < b.selector
        }
    }

    public var json: JSONValue {
        [
            "series": .string(selector),
            "labels": .object(labels.mapValues { .string($0) }),
            "min": Self.number(min), "max": Self.number(max), "avg": Self.number(avg), "last": Self.number(last),
            "points": .int(points),
        ]
    }

    /// JSON has no NaN or infinity: those go as Prometheus writes them.
    public static func number(_ value: Double) -> JSONValue {
        value.isFinite ? .double(value) : .string(format(value))
    }

    /// Every digit, as raw data needs: the shortest text that reads back as the same Double.
    public static func exact(_ value: Double) -> String {
        if !value.isFinite { return format(value) }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    /// Short and exact enough to reason with: 6 significant digits. (Not `String(format:)`, which cost
    /// more than the rest of a 16-series summary together.)
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let magnitude = abs(value)
        guard magnitude >= 1e-4, magnitude < 1e15 else { return value.description }
        let digits = 6 - (Int(log10(magnitude).rounded(.down)) + 1)
        guard digits > 0 else { return String(Int64(value.rounded())) }
        let scale = pow(10, Double(digits))
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return rounded.description
    }
}

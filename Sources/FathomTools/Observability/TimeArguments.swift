import Foundation

/// Times and durations as people and LLMs write them in tool arguments, parsed the way Prometheus does.
public enum TimeArguments {
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Longer than anyone keeps metrics: a bigger number is a mistake.
    static let maxDuration = 100.0 * 365 * 86400

    /// `30s`, `5m`, `1h30m`, `2d`, `1w`, `500ms`, or plain seconds (`90`, `1.5`), up to 100 years.
    public static func duration(_ text: String, argument: String) throws -> Double {
        let seconds = try unboundedDuration(text, argument: argument)
        guard seconds <= maxDuration else {
            throw Invalid(description: "\(argument) '\(text.prefix(64))' is longer than 100 years")
        }
        return seconds
    }

    private static func unboundedDuration(_ text: String, argument: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds.isFinite, seconds >= 0 { return seconds }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("w", 604_800), ("y", 31_536_000)]
        var rest = Substring(trimmed)
        var total = 0.0
        guard !rest.isEmpty, rest.count <= 64 else { throw Invalid(description: "\(argument) '\(text.prefix(64))' is not a duration such as 30s, 5m, 1h30m or 7d") }
        while !rest.isEmpty {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, let number = Double(digits) else {
                throw Invalid(description: "\(argument) '\(text.prefix(64))' is not a duration such as 30s, 5m, 1h30m or 7d")
            }
            rest = rest.dropFirst(digits.count)
            guard let (unit, factor) = units.first(where: { rest.hasPrefix($0.0) && !(($0.0 == "m") && rest.hasPrefix("ms")) }) else {
                throw Invalid(description: "\(argument) '\(text.prefix(64))' has no unit after \(digits); use ms, s, m, h, d, w or y")
            }
            rest = rest.dropFirst(unit.count)
            total += number * factor
        }
        return total
    }

    /// RFC 3339 (`2026-11-22T10:00:00Z`), Unix seconds (`1795388670.5`), `now`, or `now-1h`.
    public static func time(_ text: String, argument: String, now: Date) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "now" { return now }
        if trimmed.hasPrefix("now-") {
            return now.addingTimeInterval(-(try duration(String(trimmed.dropFirst(4)), argument: argument)))
        }
        if let seconds = Double(trimmed), seconds.isFinite, abs(seconds) < 1e11 { return Date(timeIntervalSince1970: seconds) }
        if let date = try? Date(trimmed, strategy: .iso8601) { return date }
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        throw Invalid(description: "\(argument) '\(text.prefix(64))' is not a time: use RFC 3339 (2026-01-02T15:04:05Z), Unix seconds, 'now' or 'now-1h'")
    }

    /// A window from `start`/`end`/`duration` arguments: `end` defaults to now, `start` to `end - duration`,
    /// and `duration` to `defaultDuration`.
    public static func window(
        start: String?, end: String?, duration: String?, defaultDuration: Double, now: Date
    ) throws -> (start: Date, end: Date) {
        let endDate = try end.map { try time($0, argument: "end", now: now) } ?? now
        let startDate: Date
        if let start {
            startDate = try time(start, argument: "start", now: now)
        } else {
            startDate = endDate.addingTimeInterval(-(try duration.map { try self.duration($0, argument: "duration") } ?? defaultDuration))
        }
        guard startDate < endDate else { throw Invalid(description: "start must be before end") }
        return (startDate, endDate)
    }

    /// A range query's window and step from its arguments (see ``window`` and ``step``).
    public static func range(
        start: String?, end: String?, duration: String?, step: String?, maxPoints: Int, now: Date
    ) throws -> (start: Date, end: Date, step: Double) {
        let window = try self.window(start: start, end: end, duration: duration, defaultDuration: 3600, now: now)
        let requested = try step.map { try self.duration($0, argument: "step") }
        return (window.start, window.end, self.step(range: window.end.timeIntervalSince(window.start), requested: requested, maxPoints: maxPoints))
    }

    /// The step for a range query: the caller's, raised if needed so that no series has more than
    /// `maxPoints` points, and rounded up to a step people read easily.
    public static func step(range: Double, requested: Double?, maxPoints: Int) -> Double {
        let minimum = range / Double(maxPoints)
        let wanted = max(requested ?? 0, minimum, 1)
        if let requested, requested >= minimum, requested >= 1 { return requested }
        let steps: [Double] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400]
        return steps.first(where: { $0 >= wanted }) ?? (wanted / 86400).rounded(.up) * 86400
    }

    /// `15s`, `5m`, `2h`: how a step reads in a summary.
    public static func format(seconds: Double) -> String {
        if seconds >= 86400, seconds.truncatingRemainder(dividingBy: 86400) == 0 { return "\(Int(seconds / 86400))d" }
        if seconds >= 3600, seconds.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(seconds / 3600))h" }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
        if seconds == seconds.rounded() { return "\(Int(seconds))s" }
        return "\(seconds)s"
    }

    /// Unix seconds with millisecond precision, as Prometheus reads them.
    public static func unix(_ date: Date) -> String {
        String(format: "%.3f", date.timeIntervalSince1970)
    }
}

import FathomCore

/// A label matcher as Alertmanager and PromQL write it: `name="value"`, `name!="value"`, `name=~"re"`, `name!~"re"`.
public struct LabelMatcher: Sendable, Equatable {
    public var name: String
    public var value: String
    public var isRegex: Bool
    public var isEqual: Bool

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public init(name: String, value: String, isRegex: Bool, isEqual: Bool) {
        self.name = name
        self.value = value
        self.isRegex = isRegex
        self.isEqual = isEqual
    }

    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let nameEnd = trimmed.firstIndex { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) } ?? trimmed.endIndex
        name = String(trimmed[..<nameEnd])
        var rest = trimmed[nameEnd...].drop(while: { $0 == " " })
        guard let first = name.first, !first.isNumber else {
            throw Invalid(description: "matcher '\(text.prefix(100))' must start with a label name, e.g. alertname=\"HighCPU\"")
        }
        switch true {
        case rest.hasPrefix("=~"): (isEqual, isRegex) = (true, true)
        case rest.hasPrefix("!~"): (isEqual, isRegex) = (false, true)
        case rest.hasPrefix("!="): (isEqual, isRegex) = (false, false)
        case rest.hasPrefix("="): (isEqual, isRegex) = (true, false)
        default: throw Invalid(description: "matcher '\(text.prefix(100))' needs one of =, !=, =~ or !~ after the label name")
        }
        rest = rest.dropFirst(rest.hasPrefix("=") && !rest.hasPrefix("=~") ? 1 : 2).drop(while: { $0 == " " })
        value = try Self.unquote(rest, original: text)
        if isRegex {
            do {
                _ = try Regex(value)
            } catch {
                throw Invalid(description: "matcher '\(text.prefix(100))' has an invalid regular expression")
            }
        }
    }

    private static func unquote(_ text: Substring, original: String) throws -> String {
        guard text.first == "\"" else { return String(text) }
        var out = ""
        var escaped = false
        var closed = false
        for character in text.dropFirst() {
            if closed { throw Invalid(description: "matcher '\(original.prefix(100))' has text after its closing quote") }
            if escaped {
                out.append(character == "n" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                closed = true
            } else {
                out.append(character)
            }
        }
        guard closed else { throw Invalid(description: "matcher '\(original.prefix(100))' has no closing quote") }
        return out
    }

    /// The API's matcher object.
    public var json: JSONValue {
        ["name": .string(name), "value": .string(value), "isRegex": .bool(isRegex), "isEqual": .bool(isEqual)]
    }

    /// How Alertmanager's `filter` parameter and people write it.
    public var text: String {
        let op = isRegex ? (isEqual ? "=~" : "!~") : (isEqual ? "=" : "!=")
        return name + op + "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

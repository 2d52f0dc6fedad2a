import Foundation

/// Checks a JSON value against the subset of JSON Schema (2020-12) that tool schemas use:
/// `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`, `const`,
/// numeric and length bounds, `pattern`, and `anyOf`/`oneOf`/`allOf`.
///
/// Unknown keywords are ignored, as the spec asks. Errors name the JSON path of the offending value.
public struct JSONSchemaValidator: Sendable {
    /// How many errors are collected before giving up, so a hostile document cannot make the report huge.
    public static let maxErrors = 20

    public let schema: JSONValue
    /// Every `pattern` in the schema, compiled once: compiling one cost more than the rest of a check.
    private let patterns: [String: Pattern]

    private struct Pattern: @unchecked Sendable {
        // NSRegularExpression is immutable once built and safe to share across threads.
        let regex: NSRegularExpression
    }

    public init(_ schema: JSONValue) {
        self.schema = schema
        var patterns: [String: Pattern] = [:]
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let object):
                if let pattern = object["pattern"]?.stringValue, patterns[pattern] == nil,
                    let regex = try? NSRegularExpression(pattern: pattern)
                {
                    patterns[pattern] = Pattern(regex: regex)
                }
                object.values.forEach(collect)
            case .array(let items):
                items.forEach(collect)
            default:
                break
            }
        }
        collect(schema)
        self.patterns = patterns
    }

    /// - Returns: an empty array when `value` conforms; otherwise readable errors such as `path: expected string, got integer`.
    public func validate(_ value: JSONValue, root: String = "$") -> [String] {
        var errors: [String] = []
        check(value, against: schema, at: root, errors: &errors, depth: 0)
        return errors
    }

    private func check(_ value: JSONValue, against schema: JSONValue, at path: String, errors: inout [String], depth: Int) {
        guard errors.count < Self.maxErrors else { return }
        guard depth < 64 else {
            errors.append("\(path): nested too deeply")
            return
        }
        if case .bool(let allowed) = schema {
            if !allowed { errors.append("\(path): no value is allowed here") }
            return
        }
        guard case .object(let rules) = schema else { return }

        if let type = rules["type"] {
            let allowed: [String] = type.stringValue.map { [$0] } ?? (type.arrayValue?.compactMap(\.stringValue) ?? [])
            if !allowed.isEmpty && !allowed.contains(where: { Self.value(value, hasType: $0) }) {
                errors.append("\(path): expected \(allowed.joined(separator: " or ")), got \(value.typeName)")
                return
            }
        }
        if let options = rules["enum"]?.arrayValue, !options.contains(where: { Self.equal($0, value) }) {
            let shown = options.prefix(10).map { $0.encodedString() }.joined(separator: ", ")
            errors.append("\(path): must be one of \(shown)")
        }
        if let constant = rules["const"], !Self.equal(constant, value) {
            errors.append("\(path): must be \(constant.encodedString())")
        }
        switch value {
        case .string(let string):
            checkString(string, rules: rules, at: path, errors: &errors)
        case .int, .double:
            checkNumber(value.doubleValue ?? 0, rules: rules, at: path, errors: &errors)
        case .array(let items):
            if let min = rules["minItems"]?.intValue, items.count < min {
                errors.append("\(path): needs at least \(min) items, got \(items.count)")
            }
            if let max = rules["maxItems"]?.intValue, items.count > max {
                errors.append("\(path): allows at most \(max) items, got \(items.count)")
            }
            if let itemSchema = rules["items"] {
                for (index, item) in items.enumerated() {
                    check(item, against: itemSchema, at: "\(path)[\(index)]", errors: &errors, depth: depth + 1)
                }
            }
        case .object(let object):
            checkObject(object, rules: rules, at: path, errors: &errors, depth: depth)
        default:
            break
        }
        if let all = rules["allOf"]?.arrayValue {
            for sub in all { check(value, against: sub, at: path, errors: &errors, depth: depth + 1) }
        }
        if let any = rules["anyOf"]?.arrayValue, !any.isEmpty {
            let matches = any.contains { Self.conforms(value, to: $0, depth: depth + 1) }
            if !matches { errors.append("\(path): matches none of the allowed shapes") }
        }
        if let one = rules["oneOf"]?.arrayValue, !one.isEmpty {
            let count = one.filter { Self.conforms(value, to: $0, depth: depth + 1) }.count
            if count != 1 { errors.append("\(path): must match exactly one allowed shape, matched \(count)") }
        }
    }

    private func checkString(_ string: String, rules: [String: JSONValue], at path: String, errors: inout [String]) {
        if let min = rules["minLength"]?.intValue, string.count < min {
            errors.append("\(path): must be at least \(min) characters")
        }
        if let max = rules["maxLength"]?.intValue, string.count > max {
            errors.append("\(path): must be at most \(max) characters")
        }
        if let pattern = rules["pattern"]?.stringValue,
            let regex = patterns[pattern]?.regex ?? (try? NSRegularExpression(pattern: pattern)),
            regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) == nil
        {
            errors.append("\(path): does not match pattern \(pattern)")
        }
    }

    private func checkNumber(_ number: Double, rules: [String: JSONValue], at path: String, errors: inout [String]) {
        if let min = rules["minimum"]?.doubleValue, number < min {
            errors.append("\(path): must be ≥ \(Self.format(min))")
        }
        if let max = rules["maximum"]?.doubleValue, number > max {
            errors.append("\(path): must be ≤ \(Self.format(max))")
        }
        if let min = rules["exclusiveMinimum"]?.doubleValue, number <= min {
            errors.append("\(path): must be > \(Self.format(min))")
        }
        if let max = rules["exclusiveMaximum"]?.doubleValue, number >= max {
            errors.append("\(path): must be < \(Self.format(max))")
        }
    }

    private func checkObject(
        _ object: [String: JSONValue], rules: [String: JSONValue], at path: String, errors: inout [String], depth: Int
    ) {
        let properties = rules["properties"]?.objectValue ?? [:]
        for name in rules["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
            errors.append("\(path): missing required property '\(name)'")
        }
        for (key, member) in object.sorted(by: { $0.key < $1.key }) {
            if let propertySchema = properties[key] {
                check(member, against: propertySchema, at: "\(path).\(key)", errors: &errors, depth: depth + 1)
            } else if let additional = rules["additionalProperties"] {
                if additional == .bool(false) {
                    let known = properties.keys.sorted().joined(separator: ", ")
                    errors.append("\(path): unknown property '\(key)'" + (known.isEmpty ? "" : " (expected: \(known))"))
                } else {
                    check(member, against: additional, at: "\(path).\(key)", errors: &errors, depth: depth + 1)
                }
            }
        }
    }

    private static func conforms(_ value: JSONValue, to schema: JSONValue, depth: Int) -> Bool {
        var errors: [String] = []
        JSONSchemaValidator(schema).check(value, against: schema, at: "$", errors: &errors, depth: depth)
        return errors.isEmpty
    }

    private static func value(_ value: JSONValue, hasType type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
        case ("number", .int), ("number", .double): true
        case ("integer", _): value.intValue != nil && value.typeName != "boolean"
        default: false
        }
    }

    /// JSON equality: 1 and 1.0 are the same number.
    private static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a.doubleValue, let y = b.doubleValue { return x == y }
        return a == b
    }

    private static func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}

import Yams

/// One configured value, from a YAML node or an environment variable, that knows where it came from
/// so that every error can say the file and line, or the variable's name.
public struct ConfigValue {
    public enum Source {
        case yaml(Node)
        case environment(String)
    }

    public let source: Source
    /// `file:line:column`, or `$FATHOM_NAME`.
    public let location: String
    /// The dotted key, as written in YAML.
    public let key: String

    public init(node: Node, file: String, key: String) {
        self.source = .yaml(node)
        let line = (node.mark?.line ?? 0)
        let column = (node.mark?.column ?? 0)
        self.location = "\(file):\(line):\(column)"
        self.key = key
    }

    public init(environment name: String, value: String, key: String) {
        self.source = .environment(value)
        self.location = "$\(name)"
        self.key = key
    }

    private func invalid(_ expected: String) -> ConfigError {
        .invalidValue(location: location, key: key, expected: expected, got: shown)
    }

    private var shown: String {
        switch source {
        case .environment(let text): return "'\(text.prefix(80))'"
        case .yaml(let node):
            switch node {
            case .scalar(let scalar): return "'\(scalar.string.prefix(80))'"
            case .mapping: return "a mapping"
            case .sequence: return "a list"
            case .alias: return "an alias"
            }
        }
    }

    private var scalarText: String? {
        switch source {
        case .environment(let text): return text
        case .yaml(let node): return node.scalar?.string
        }
    }

    public func string() throws -> String {
        guard let text = scalarText, !text.isEmpty else { throw invalid("a non-empty string") }
        guard !text.contains("\u{0}") else { throw invalid("a string without NUL bytes") }
        return text
    }

    /// nil for an absent value: YAML null, or an empty string (kubeconfigs write `namespace: ""`).
    public func optionalString() throws -> String? {
        guard isPresent, scalarText != "" else { return nil }
        return try string()
    }

    /// False for YAML null (`~`, `null` or nothing).
    public var isPresent: Bool {
        if case .yaml(let node) = source, node.null != nil { return false }
        return true
    }

    public func bool() throws -> Bool {
        switch scalarText?.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw invalid("true or false")
        }
    }

    public func int(in range: ClosedRange<Int>) throws -> Int {
        guard let text = scalarText, let value = Int(text.replacingOccurrences(of: "_", with: "")),
            range.contains(value)
        else { throw invalid("a whole number from \(range.lowerBound) to \(range.upperBound)") }
        return value
    }

    /// One of an enumeration's raw values, any case.
    public func choice<T: RawRepresentable & CaseIterable>() throws -> T where T.RawValue == String {
        let text = try string()
        guard let choice = T(rawValue: text.lowercased()) else {
            throw invalid("one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return choice
    }

    /// A YAML list of strings; from the environment, a comma-separated list.
    public func strings() throws -> [String] {
        switch source {
        case .environment(let text):
            return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .yaml(let node):
            if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" { return [] }
            guard case .sequence(let sequence) = node else { throw invalid("a list of strings") }
            guard sequence.count <= 10_000 else { throw invalid("a list of at most 10000 strings") }
            return try sequence.map { item in
                guard let text = item.scalar?.string, !text.contains("\u{0}") else {
                    throw ConfigValue(node: item, file: String(location.split(separator: ":").first ?? ""), key: key)
                        .invalid("a string")
                }
                return text
            }
        }
    }
}

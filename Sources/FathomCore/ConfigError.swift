/// A configuration problem, located by file, line and key, with what was expected.
public enum ConfigError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    case tooLarge(file: String, bytes: Int, limit: Int)
    case syntax(file: String, line: Int, column: Int, problem: String)
    case unknownKey(location: String, key: String, expected: [String])
    case invalidValue(location: String, key: String, expected: String, got: String)
    case duplicateSection(key: String, first: String, second: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            "\(file): cannot be read (\(reason))."
        case .tooLarge(let file, let bytes, let limit):
            "\(file): \(bytes) bytes is larger than the \(limit)-byte limit for a config file."
        case .syntax(let file, let line, let column, let problem):
            "\(file):\(line):\(column): YAML syntax error: \(problem)."
        case .unknownKey(let location, let key, let expected):
            "\(location): unknown key '\(key)'. Expected one of: \(expected.joined(separator: ", "))."
        case .invalidValue(let location, let key, let expected, let got):
            "\(location): '\(key)' must be \(expected), got \(got)."
        case .duplicateSection(let key, let first, let second):
            "'\(key)' is configured twice, in \(first) and in \(second). Keep one."
        }
    }

    /// Stable, value-free name for logs and metrics.
    public var code: String {
        switch self {
        case .unreadable: "unreadable"
        case .tooLarge: "too_large"
        case .syntax: "syntax"
        case .unknownKey: "unknown_key"
        case .invalidValue: "invalid_value"
        case .duplicateSection: "duplicate_section"
        }
    }
}

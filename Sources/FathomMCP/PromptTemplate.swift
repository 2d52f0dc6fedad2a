import FathomCore
import Foundation
import Yams

/// One prompt from `prompts/NAME.md`: YAML front matter (name, title, description, arguments), then a
/// Markdown body in which `{{argument}}` is replaced by the argument's value.
public struct PromptTemplate: Sendable, Equatable {
    public struct Argument: Sendable, Equatable {
        public var name: String
        public var description: String?
        public var isRequired: Bool
        /// Suggested values, offered by completion/complete.
        public var values: [String]
    }

    public var name: String
    public var title: String?
    public var description: String?
    public var arguments: [Argument]
    public var body: String

    /// Parses a prompt file.
    /// - Throws: a message naming the file and what is wrong.
    public static func parse(_ text: String, file: String) throws -> PromptTemplate {
        let fallbackName = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        guard text.hasPrefix("---\n") || text.hasPrefix("---\r\n") else {
            return PromptTemplate(name: fallbackName, arguments: [], body: text)
        }
        let afterOpen = text.index(text.startIndex, offsetBy: text.hasPrefix("---\r\n") ? 5 : 4)
        guard let close = text.range(of: "\n---", range: afterOpen..<text.endIndex) else {
            throw PromptError.invalid(file: file, reason: "the front matter opened with --- is never closed")
        }
        let front = String(text[afterOpen..<close.lowerBound])
        var bodyStart = close.upperBound
        if let newline = text[bodyStart...].firstIndex(of: "\n") { bodyStart = text.index(after: newline) } else { bodyStart = text.endIndex }
        let root: Node?
        do {
            root = try Yams.compose(yaml: front)
        } catch {
            throw PromptError.invalid(file: file, reason: "front matter is not valid YAML: \(error)")
        }
        if let root, root.mapping == nil {
            throw PromptError.invalid(file: file, reason: "front matter must be a mapping of name, title, description and arguments")
        }
        var arguments: [Argument] = []
        for (index, item) in (root?["arguments"]?.sequence.map(Array.init) ?? []).enumerated() {
            guard let name = item["name"]?.string, !name.isEmpty else {
                throw PromptError.invalid(file: file, reason: "arguments[\(index)] needs a name")
            }
            arguments.append(
                Argument(
                    name: name, description: item["description"]?.string,
                    isRequired: item["required"]?.bool ?? false,
                    values: (item["values"]?.sequence.map(Array.init) ?? []).compactMap(\.string)))
        }
        return PromptTemplate(
            name: root?["name"]?.string ?? fallbackName, title: root?["title"]?.string,
            description: root?["description"]?.string, arguments: arguments, body: String(text[bodyStart...]))
    }

    /// The body with each `{{name}}` replaced; arguments not given become empty.
    public func render(_ values: [String: String]) -> String {
        var output = body
        for argument in arguments {
            output = output.replacingOccurrences(of: "{{\(argument.name)}}", with: values[argument.name] ?? "")
        }
        return output
    }
}

public enum PromptError: Error, CustomStringConvertible {
    case invalid(file: String, reason: String)
    public var description: String {
        switch self {
        case .invalid(let file, let reason): "\(file): \(reason)."
        }
    }
}

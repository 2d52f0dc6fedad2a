import FathomCore
import Foundation

/// The prompts in `prompts/*.md`, served as MCP prompts.
public struct PromptRegistry: Sendable {
    public let prompts: [PromptTemplate]
    /// Files that could not be used, with the reason: shown by `fathom doctor` and logged at start.
    public let problems: [String]

    public init(prompts: [PromptTemplate], problems: [String] = []) {
        self.prompts = prompts
        self.problems = problems
    }

    /// Loads every `*.md` file of a directory, in name order. A missing directory gives no prompts.
    public static func load(directory: String) -> PromptRegistry {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var prompts: [PromptTemplate] = []
        var problems: [String] = []
        for name in names.sorted() where name.hasSuffix(".md") && !name.hasPrefix(".") {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), data.count <= 256 * 1024 else {
                problems.append("\(path): unreadable or larger than 256 KiB")
                continue
            }
            do {
                let prompt = try PromptTemplate.parse(String(decoding: data, as: UTF8.self), file: path)
                if prompts.contains(where: { $0.name == prompt.name }) {
                    problems.append("\(path): a prompt named '\(prompt.name)' already exists")
                } else {
                    prompts.append(prompt)
                }
            } catch {
                problems.append("\(error)")
            }
        }
        return PromptRegistry(prompts: prompts, problems: problems)
    }

    public func prompt(named name: String) -> PromptTemplate? { prompts.first { $0.name == name } }
}

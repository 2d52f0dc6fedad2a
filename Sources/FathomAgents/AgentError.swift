/// Why a question could not even start a run.
public enum AgentError: Error, CustomStringConvertible, Equatable {
    case unknownAgent(String, known: [String])
    case noAgents(directory: String)
    case badQuestion(String)

    public var description: String {
        switch self {
        case .unknownAgent(let name, let known):
            "There is no agent named '\(name.prefix(80))'. Agents: \(known.joined(separator: ", "))."
        case .noAgents(let directory):
            "No agents are defined: add YAML files to \(directory) (see README)."
        case .badQuestion(let why):
            "The question \(why)."
        }
    }
}

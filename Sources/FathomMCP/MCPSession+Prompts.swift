import FathomCore
import Foundation
import MCP

extension MCPSession {
    static let maxCompletions = 100

    func listPrompts(id: ID, params: [String: JSONValue]) throws -> Data {
        let (page, next) = try Pagination.page(services.prompts.prompts, cursor: params["cursor"], size: services.config.mcp.pageSize)
        let prompts = page.map { prompt in
            Prompt(
                name: prompt.name, title: prompt.title, description: prompt.description,
                arguments: prompt.arguments.map {
                    Prompt.Argument(name: $0.name, description: $0.description, required: $0.isRequired)
                })
        }
        return JSONRPC.result(id, ListPrompts.Result(prompts: prompts, nextCursor: next))
    }

    static func getPrompt(id: ID, params: [String: JSONValue], services: MCPServices) -> Data {
        guard let name = params["name"]?.stringValue else {
            return JSONRPC.error(id, JSONRPC.invalidParams, "Invalid params: prompts/get needs a string \"name\".")
        }
        guard let prompt = services.prompts.prompt(named: name) else {
            return JSONRPC.error(id, JSONRPC.invalidParams, "Unknown prompt: \(name.prefix(200)). Call prompts/list.")
        }
        var values: [String: String] = [:]
        for (key, value) in params["arguments"]?.objectValue ?? [:] {
            guard let text = value.stringValue else {
                return JSONRPC.error(id, JSONRPC.invalidParams, "Invalid params: argument '\(key.prefix(100))' must be a string.")
            }
            values[key] = text
        }
        let missing = prompt.arguments.filter { $0.isRequired && (values[$0.name] ?? "").isEmpty }.map(\.name)
        guard missing.isEmpty else {
            return JSONRPC.error(id, JSONRPC.invalidParams, "Invalid params: prompt \(name) needs \(missing.joined(separator: ", ")).")
        }
        let result = GetPrompt.Result(
            description: prompt.description, messages: [.user(.text(text: prompt.render(values)))])
        return JSONRPC.result(id, result)
    }

    static func complete(id: ID, params: [String: JSONValue], services: MCPServices, roots: [String]?) -> Data {
        guard let reference = params["ref"], let type = reference["type"]?.stringValue,
            let argumentName = params["argument"]?["name"]?.stringValue
        else {
            return JSONRPC.error(id, JSONRPC.invalidParams, "Invalid params: completion/complete needs ref.type and argument.name.")
        }
        let typed = params["argument"]?["value"]?.stringValue ?? ""
        var candidates: [String]
        switch type {
        case "ref/prompt":
            guard let name = reference["name"]?.stringValue, let prompt = services.prompts.prompt(named: name) else {
                return JSONRPC.error(id, JSONRPC.invalidParams, "Unknown prompt in ref.name. Call prompts/list.")
            }
            candidates = prompt.arguments.first { $0.name == argumentName }?.values.filter { $0.hasPrefix(typed) } ?? []
        case "ref/resource":
            guard reference["uri"]?.stringValue == FileResources.template, argumentName == "path" else {
                return JSONRPC.error(id, JSONRPC.invalidParams, "Unknown resource template; Fathom completes \(FileResources.template).")
            }
            candidates = services.resources.completePath(typed, roots: roots)
        default:
            return JSONRPC.error(id, JSONRPC.invalidParams, "Invalid params: ref.type must be ref/prompt or ref/resource.")
        }
        let total = candidates.count
        candidates = Array(candidates.prefix(maxCompletions))
        let completion: JSONValue = [
            "completion": [
                "values": .array(candidates.map(JSONValue.string)), "total": .int(total),
                "hasMore": .bool(total > candidates.count),
            ]
        ]
        return JSONRPC.result(id, completion)
    }
}

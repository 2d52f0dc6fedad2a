import ArgumentParser
import FathomCore
import FathomTools
import Foundation

struct ToolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tools", abstract: "List and call tools through the same policy and audit as MCP clients.",
        subcommands: [List.self, Call.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tools this client may call.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print JSON: name, description, annotations and schemas.") var json = false
        @Flag(help: "Also list tools that policy does not allow.") var all = false

        func run() async throws {
            let runtime = try await Runtime(options: options)
            let descriptors = all ? runtime.registry.allDescriptors : runtime.registry.descriptors(client: "cli")
            if json {
                let items: [JSONValue] = descriptors.map { tool in
                    var object: [String: JSONValue] = [
                        "name": .string(tool.name), "title": .string(tool.title), "description": .string(tool.description),
                        "toolset": .string(tool.toolset), "inputSchema": tool.inputSchema,
                        "annotations": [
                            "readOnlyHint": .bool(tool.annotations.isReadOnly),
                            "destructiveHint": .bool(tool.annotations.isDestructive),
                            "idempotentHint": .bool(tool.annotations.isIdempotent),
                            "openWorldHint": .bool(tool.annotations.isOpenWorld),
                        ],
                    ]
                    if let output = tool.outputSchema { object["outputSchema"] = output }
                    return .object(object)
                }
                print(JSONValue.array(items).encodedString())
            } else {
                for tool in descriptors {
                    let mode = tool.annotations.isReadOnly ? "read" : tool.annotations.isDestructive ? "destructive" : "write"
                    print("\(tool.name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(mode.padding(toLength: 12, withPad: " ", startingAt: 0)) \(tool.title)")
                }
            }
        }
    }

    struct Call: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Call one tool and print its result.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The tool's name, as `fathom tools list` shows it.") var name: String
        @Option(help: "The arguments, as a JSON object.") var args: String = "{}"

        /// `--args` as a JSON object, read by the same parser as MCP messages.
        private func parsedArguments() throws -> JSONValue {
            guard let value = try? JSONParser.parse(args), value.objectValue != nil else {
                throw ValidationError("--args must be a JSON object, such as '{\"path\": \"README.md\"}'.")
            }
            return value
        }

        func validate() throws {
            _ = try parsedArguments()
        }

        func run() async throws {
            let runtime = try await Runtime(options: options)
            let arguments = try parsedArguments()
            let outcome = await runtime.registry.call(name, arguments: arguments, context: ToolContext(client: "cli"))
            await runtime.audit.flush()
            switch outcome {
            case .unknownTool:
                throw ValidationError("Unknown tool '\(name)'. Run `fathom tools list --all` for the tools.")
            case .cancelled:
                throw ExitCode(130)
            case .result(let result):
                print(result.text)
                if let structured = result.structured, !result.isError {
                    FileHandle.standardError.write(Data("structuredContent: \(structured.encodedString())\n".utf8))
                }
                if result.isError { throw ExitCode(1) }
            }
        }
    }
}

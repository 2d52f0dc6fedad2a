import FathomCore
import Foundation
import Logging
import MCP

/// The other MCP servers of `tools/external.yaml`, connected at start: each tool offered as `SERVER__TOOL`, through
/// the same policy, approval and audit as Fathom's own. A server that cannot be reached is reported, not fatal.
public final class ExternalServers: Sendable {
    public static let toolset = "external"

    /// What happened to each server at start, for `fathom doctor` and the log.
    public struct Status: Sendable {
        public var name: String
        public var tools: Int
        public var problem: String?
    }

    public let statuses: [Status]
    public let tools: [ToolRegistry.ProxiedTool]
    private let connections: [ExternalConnection]

    private init(statuses: [Status], tools: [ToolRegistry.ProxiedTool], connections: [ExternalConnection]) {
        self.statuses = statuses
        self.tools = tools
        self.connections = connections
    }

    public static let none = ExternalServers(statuses: [], tools: [], connections: [])

    /// Connects to every server, in parallel.
    public static func connect(_ settings: FathomConfig.ExternalSettings) async -> ExternalServers {
        guard !settings.servers.isEmpty else { return .none }
        let results = await withTaskGroup(of: (Int, Result<(ExternalConnection, [MCP.Tool]), any Error>).self) { group in
            for (index, server) in settings.servers.enumerated() {
                group.addTask {
                    do {
                        let connection = try await ExternalConnection.open(server)
                        do {
                            return (index, .success((connection, try await connection.tools())))
                        } catch {
                            await connection.close()
                            return (index, .failure(error))
                        }
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results: [(Int, Result<(ExternalConnection, [MCP.Tool]), any Error>)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }
        }
        var statuses: [Status] = []
        var tools: [ToolRegistry.ProxiedTool] = []
        var connections: [ExternalConnection] = []
        let logger = Logger(label: "fathom.external")
        for (index, result) in results {
            let server = settings.servers[index]
            switch result {
            case .success(let (connection, listed)):
                connections.append(connection)
                let proxied = listed.prefix(1000).map { proxy($0, of: server, connection: connection) }
                tools += proxied
                statuses.append(Status(name: server.name, tools: proxied.count))
            case .failure(let error):
                logger.warning("external MCP server '\(server.name)' is not available: \(error)")
                statuses.append(Status(name: server.name, tools: 0, problem: "\(error)"))
            }
        }
        return ExternalServers(statuses: statuses, tools: tools, connections: connections)
    }

    /// Stops the servers Fathom started.
    public func close() async {
        for connection in connections { await connection.close() }
    }

    private static func proxy(_ tool: MCP.Tool, of server: FathomConfig.ExternalServer, connection: ExternalConnection) -> ToolRegistry.ProxiedTool {
        let readOnly = server.readOnlyTools.contains { GlobPattern($0).matches(name: tool.name) }
        let schema = (try? JSONParser.parse(Array(try JSONEncoder().encode(tool.inputSchema)))) ?? ["type": "object"]
        let descriptor = ToolDescriptor(
            name: "\(server.name)__\(tool.name)", title: "\(tool.title ?? tool.name) (\(server.name))",
            description: "From the MCP server '\(server.name)': " + (tool.description ?? tool.name),
            inputSchema: schema.objectValue == nil ? ["type": "object"] : schema,
            annotations: readOnly ? .readOnly(openWorld: true) : .write(destructive: true, idempotent: false, openWorld: true),
            toolset: toolset)
        let name = tool.name
        return ToolRegistry.ProxiedTool(descriptor: descriptor) { arguments, _ in
            try await connection.call(name, arguments: arguments)
        }
    }
}

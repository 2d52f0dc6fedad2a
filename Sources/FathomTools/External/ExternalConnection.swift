import FathomCore
import Foundation
import Logging
import MCP
import SystemPackage

/// One other MCP server, through the official SDK's `Client`: a process on stdio, or a Streamable HTTP endpoint.
actor ExternalConnection {
    let server: FathomConfig.ExternalServer
    private let client: Client
    private var process: Process?
    /// The write end of the server's stdin: closing it is the polite way to stop a stdio server.
    private var stdin: FileHandle?
    /// A stdio server's transport, which says when the server's output ends.
    private let stdio: StdioServerTransport?

    private init(
        server: FathomConfig.ExternalServer, client: Client, process: Process? = nil, stdin: FileHandle? = nil, stdio: StdioServerTransport? = nil
    ) {
        self.server = server
        self.client = client
        self.process = process
        self.stdin = stdin
        self.stdio = stdio
    }

    /// Starts or reaches the server and completes the MCP handshake, within the server's timeout.
    static func open(_ server: FathomConfig.ExternalServer) async throws -> ExternalConnection {
        let client = Client(name: "fathom", version: "0.1.0")
        switch server.transport {
        case .stdio(let command, let environment, let directory):
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try Self.resolve(command[0], server: server.name))
            process.arguments = Array(command.dropFirst())
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            do {
                try process.run()
            } catch {
                throw ExternalError.unreachable(server: server.name, reason: "\(command[0]) could not be started: \(error.localizedDescription)")
            }
            let transport = StdioServerTransport(
                input: FileDescriptor(rawValue: output.fileHandleForReading.fileDescriptor),
                output: FileDescriptor(rawValue: input.fileHandleForWriting.fileDescriptor), server: server.name)
            let connection = ExternalConnection(
                server: server, client: client, process: process, stdin: input.fileHandleForWriting, stdio: transport)
            do {
                _ = try await Deadline.run(seconds: server.timeoutSeconds, timeout: ExternalError.timedOut(server: server.name, seconds: server.timeoutSeconds)) {
                    try await client.connect(transport: transport)
                }
            } catch {
                await connection.close()
                throw ExternalError.unreachable(server: server.name, reason: "the MCP handshake failed: \(error)")
            }
            return connection
        case .http(let url, let bearer):
            let transport = StreamableHTTPClientTransport(url: url, bearer: bearer, timeoutSeconds: server.timeoutSeconds)
            do {
                _ = try await Deadline.run(seconds: server.timeoutSeconds, timeout: ExternalError.timedOut(server: server.name, seconds: server.timeoutSeconds)) {
                    try await client.connect(transport: transport)
                }
            } catch {
                let reason = "\(error)".localizedCaseInsensitiveContains("refused") ? "connection refused" : "\(error)"
                throw ExternalError.unreachable(server: server.name, reason: "\(url): \(reason)")
            }
            return ExternalConnection(server: server, client: client)
        }
    }

    /// A program name without a slash is looked up in PATH, as a shell would.
    private static func resolve(_ program: String, server: String) throws -> String {
        if program.contains("/") { return program }
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        guard let found = paths.map({ "\($0)/\(program)" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw ExternalError.unreachable(server: server, reason: "\(program) is not in PATH")
        }
        return found
    }

    /// Every tool the server lists, following pages (at most 1000 tools).
    func tools() async throws -> [MCP.Tool] {
        var tools: [MCP.Tool] = []
        var cursor: String?
        let (seconds, late) = (server.timeoutSeconds, ExternalError.timedOut(server: server.name, seconds: server.timeoutSeconds))
        repeat {
            let page = try await Deadline.run(seconds: seconds, timeout: late) { [client, cursor] in
                try await client.listTools(cursor: cursor)
            }
            tools += page.tools
            cursor = page.nextCursor
        } while cursor != nil && tools.count < 1000
        return tools
    }

    /// One call; the server's own failure comes back as an error result, as MCP intends.
    func call(_ name: String, arguments: JSONValue) async throws -> ToolResult {
        let values = try JSONDecoder().decode([String: MCP.Value].self, from: Data(JSONWriter.write(arguments)))
        let (seconds, late) = (server.timeoutSeconds, ExternalError.timedOut(server: server.name, seconds: server.timeoutSeconds))
        let content: [MCP.Tool.Content]
        let isError: Bool?
        do {
            (content, isError) = try await Deadline.run(seconds: seconds, timeout: late) { [client, stdio] in
                guard let stdio else { return try await client.callTool(name: name, arguments: values) }
                // A stdio server that dies mid-call ends the call then, not at its timeout.
                return try await Deadline.first({ try await client.callTool(name: name, arguments: values) }, { throw await stdio.end() })
            }
        } catch let error as ExternalError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // The server went away (it crashed, or closed the connection): say so, not the transport's words.
            throw ExternalError.unreachable(server: server.name, reason: "the call of \(name) failed: \(error)")
        }
        let blocks: [ToolResult.Content] = content.map { block in
            switch block {
            case .text(let text, _, _): .text(text)
            case .image(_, let mimeType, _, _): .text("[an image (\(mimeType)) from \(server.name), not shown]")
            case .audio(_, let mimeType, _, _): .text("[audio (\(mimeType)) from \(server.name), not shown]")
            case .resource(let resource, _, _): .text(resource.text ?? "[a resource from \(server.name): \(resource.uri)]")
            case .resourceLink(let uri, let name, _, _, _, _): .text("[a link to \(name): \(uri)]")
            }
        }
        return ToolResult(content: blocks, isError: isError ?? false)
    }

    /// Lets the client go (one that does not within 2 s is left behind rather than holding Fathom), then stops a server
    /// Fathom started: end of input, then SIGTERM, then SIGKILL, a second or two apart (a child of Foundation's
    /// `Process` may start with SIGTERM blocked).
    func close() async {
        _ = try? await Deadline.run(seconds: 2, timeout: CancellationError()) { [client] in await client.disconnect() }
        if let process {
            try? stdin?.close()
            if await !Self.exits(process, within: .seconds(2)) {
                process.terminate()
                if await !Self.exits(process, within: .seconds(1)) { kill(process.processIdentifier, SIGKILL) }
            }
        }
        process = nil
        stdin = nil
    }

    private static func exits(_ process: Process, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !process.isRunning
    }
}

public enum ExternalError: Error, CustomStringConvertible {
    case unreachable(server: String, reason: String)
    case timedOut(server: String, seconds: Double)

    public var description: String {
        switch self {
        case .unreachable(let server, let reason): "MCP server '\(server)' is unreachable: \(reason)"
        case .timedOut(let server, let seconds): "MCP server '\(server)' did not answer within \(Int(seconds)) s"
        }
    }
}

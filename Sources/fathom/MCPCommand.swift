import ArgumentParser
import FathomCore
import FathomMCP
import FathomTools
import Foundation

struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve MCP over stdio, for Claude Desktop, IDEs and any MCP client.",
        discussion: "Reads newline-delimited JSON-RPC on stdin and writes replies on stdout; logs go to stderr.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        FathomLogging.bootstrap(level: options.logLevel)
        // A client that closes its end must not kill the server mid-call: the write fails with EPIPE
        // instead, and the call's audit row is still written.
        signal(SIGPIPE, SIG_IGN)
        let runtime: Runtime
        do {
            runtime = try await Runtime(options: options)
        } catch {
            FileHandle.standardError.write(Data("fathom: \(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        for problem in runtime.prompts.problems {
            FileHandle.standardError.write(Data("fathom: prompt skipped: \(problem)\n".utf8))
        }
        // With network toolsets, stdin is read on the event loop their I/O runs on: a Prometheus query
        // then never crosses threads (measured 30-140 µs faster per call). Without them, the plain
        // poll thread is the cheaper loop: a local tool call costs 32 µs there against 48-68 µs on NIO's.
        let config = runtime.config
        let hasNetworkTools = !config.observability.all.isEmpty || !config.database.connections.isEmpty || !config.cluster.clusters.isEmpty
            || !config.llm.models.isEmpty || !config.external.servers.isEmpty
        let transport = StdioTransport(
            maxMessageBytes: config.mcp.maxMessageBytes, eventLoopGroup: hasNetworkTools ? OutboundHTTP.eventLoopGroup : nil)
        let messages = await transport.messages()
        let session = MCPSession(services: runtime.services, sink: transport, executor: transport.executor)
        await withTaskGroup(of: Void.self) { group in
            group.addTask(executorPreference: transport.executor) {
                for await input in messages {
                    switch input {
                    case .message(let data): await session.receive(data)
                    case .oversized(let bytes): session.receiveOversized(bytes: bytes, limit: transport.maxMessageBytes)
                    }
                }
            }
            group.addTask { await SignalWatcher.wait() }
            await group.next()
            group.cancelAll()
        }
        await session.close()
        await runtime.audit.flush()
        await runtime.external.close()
    }
}

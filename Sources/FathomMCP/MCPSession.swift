import FathomCore
import FathomTools
import Foundation
import Logging
import MCP
import Synchronization

/// One MCP conversation with one client, whatever the transport: protocol state, in-flight calls,
/// subscriptions and requests sent to the client.
///
/// Messages are fed in order through ``receive(_:)``. Quick methods are answered inline; tool calls,
/// reads and prompt rendering run in owned tasks so that `notifications/cancelled` can stop them.
///
/// A class with its state under one lock, not an actor: an actor's jobs ran on Swift's global pool,
/// which put a thread hop (70–100 µs on these virtual machines) into every stdio call. Here the session
/// runs on whatever executor feeds it, which for stdio is the single thread that also reads and writes.
public final class MCPSession: Sendable {
    struct State {
        var protocolVersion: String?
        var clientName = "unknown"
        var clientSupportsRoots = false
        var clientSupportsElicitation = false
        var clientSupportsSampling = false
        var clientRoots: [String]?
        /// Nil sends no log messages (a 2026-07-28 request that did not ask for them).
        var logLevel: ToolContext.LogLevel? = .warning
        var pending: [ID: CheckedContinuation<JSONValue, any Error>] = [:]
        var requestCounter = 0
        var subscriptions: [String: String] = [:]
        var watcher: Task<Void, Never>?
        var background: [Task<Void, Never>] = []
    }

    private let provideServices: @Sendable () -> MCPServices
    /// Read per request, so a reload (SIGHUP) reaches open sessions.
    var services: MCPServices { provideServices() }
    let sink: any MessageSink
    let logger: Logger
    /// An identity the transport established (a bearer token's client); it wins over clientInfo.name.
    private let transportIdentity: String?

    let state = Mutex(State())
    private let inFlight: InFlightCalls

    var protocolVersion: String? { state.withLock { $0.protocolVersion } }
    /// `initialize` succeeded.
    public var isInitialized: Bool { protocolVersion != nil }
    /// A tool call, read or prompt is still running.
    public var hasRunningCalls: Bool { !inFlight.isEmpty }
    var clientRoots: [String]? { state.withLock { $0.clientRoots } }
    var logLevel: ToolContext.LogLevel? { state.withLock { $0.logLevel } }

    /// - Parameter executor: where tool calls run; stdio passes its single-thread loop so that a call
    ///   never crosses threads. Nil means Swift's global pool.
    public convenience init(
        services: MCPServices, sink: any MessageSink, identity: String? = nil, executor: (any TaskExecutor)? = nil,
        logger: Logger = Logger(label: "fathom.mcp")
    ) {
        self.init(provider: { services }, sink: sink, identity: identity, executor: executor, logger: logger)
    }

    /// - Parameter provider: the current services; a reload swaps what it returns.
    public init(
        provider: @escaping @Sendable () -> MCPServices, sink: any MessageSink, identity: String? = nil,
        executor: (any TaskExecutor)? = nil, logger: Logger = Logger(label: "fathom.mcp")
    ) {
        self.inFlight = InFlightCalls(executor: executor)
        self.provideServices = provider
        self.sink = sink
        self.transportIdentity = identity
        self.logger = logger
    }

    var client: String { transportIdentity ?? state.withLock { $0.clientName } }

    // MARK: - Intake

    /// Handles one complete message (a JSON object, or a batch array where the protocol version allows it).
    /// - Parameter channel: where its reply and its notifications go; the session's sink when nil.
    public func receive(_ data: Data, channel: (any ReplyChannel)? = nil) async {
        let channel = channel ?? SinkReplyChannel(sink: sink)
        if data.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }) == UInt8(ascii: "[") {
            await receiveBatch(data, channel: channel)
            return
        }
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(data)
        } catch {
            channel.reply(JSONRPC.error(nil, JSONRPC.parseError, "Parse error: \(error)."))
            return
        }
        guard case .object(let object) = parsed else {
            channel.reply(Self.notAnObject)
            return
        }
        switch await dispatch(JSONRPC.Envelope(object), inline: false, channel: channel) {
        case .reply(let reply): channel.reply(reply)
        case .none: channel.noReply()
        case .later: break
        }
    }

    /// Batches are answered inline, in order; a larger one is refused whole rather than cut.
    static let maxBatch = 1000

    private static let notAnObject = JSONRPC.error(
        nil, JSONRPC.invalidRequest, "Invalid request: expected a JSON-RPC 2.0 object with jsonrpc, method and a string or integer id.")

    /// A line longer than the configured maximum was dropped by the transport.
    public func receiveOversized(bytes: Int, limit: Int) {
        sink.send(
            JSONRPC.error(
                nil, JSONRPC.invalidRequest,
                "Message of \(bytes)+ bytes exceeds the \(limit)-byte limit (mcp.max_message_bytes) and was dropped."))
    }

    private func receiveBatch(_ data: Data, channel: any ReplyChannel) async {
        guard let version = protocolVersion, ProtocolVersion.allowsBatches(version) else {
            let reason = protocolVersion.map { "protocol \($0) does not allow JSON-RPC batches" } ?? "a batch cannot initialize a session"
            channel.reply(JSONRPC.error(nil, JSONRPC.invalidRequest, "Invalid request: \(reason); send one message per line."))
            return
        }
        let items: [JSONValue]
        do {
            items = try JSONParser.parse(data).arrayValue ?? []
        } catch {
            channel.reply(JSONRPC.error(nil, JSONRPC.parseError, "Parse error: \(error)."))
            return
        }
        guard !items.isEmpty, items.count <= Self.maxBatch else {
            let problem = items.isEmpty ? "an empty batch" : "a batch of \(items.count) messages (at most \(Self.maxBatch))"
            channel.reply(JSONRPC.error(nil, JSONRPC.invalidRequest, "Invalid request: \(problem)."))
            return
        }
        var replies: [Data] = []
        for item in items {
            guard case .object(let object) = item else {
                replies.append(Self.notAnObject)
                continue
            }
            if case .reply(let reply) = await dispatch(JSONRPC.Envelope(object), inline: true, channel: channel) {
                replies.append(reply)
            }
        }
        guard !replies.isEmpty else {
            channel.noReply()
            return
        }
        var batch = Data("[".utf8)
        for (index, reply) in replies.enumerated() {
            if index > 0 { batch.append(UInt8(ascii: ",")) }
            batch.append(reply)
        }
        batch.append(UInt8(ascii: "]"))
        channel.reply(batch)
    }

    // MARK: - Dispatch

    enum Dispatched {
        /// Send this now.
        case reply(Data)
        /// A notification or a response: nothing to send.
        case none
        /// A task owns the request and answers on its channel.
        case later
    }

    /// - Parameter inline: run slow methods here instead of in a cancellable task (batches).
    private func dispatch(_ message: JSONRPC.Envelope, inline: Bool, channel: any ReplyChannel) async -> Dispatched {
        guard message.jsonrpc == "2.0" else {
            return .reply(JSONRPC.error(message.id, JSONRPC.invalidRequest, "Invalid request: \"jsonrpc\" must be \"2.0\"."))
        }
        if message.method == nil && (message.result != nil || message.error != nil) {
            // A response: matched to our request if its id is one of ours, and never answered.
            if let id = message.id { handleResponse(id: id, result: message.result, error: message.error) }
            return .none
        }
        if message.hasNullID || message.hasInvalidID {
            return .reply(JSONRPC.error(nil, JSONRPC.invalidRequest, "Invalid request: \"id\" must be a string or an integer."))
        }
        if message.hasInvalidMethod {
            return .reply(JSONRPC.error(message.id, JSONRPC.invalidRequest, "Invalid request: \"method\" must be a string."))
        }
        guard let method = message.method else {
            return .reply(JSONRPC.error(message.id, JSONRPC.invalidRequest, "Invalid request: \"method\" is missing."))
        }
        guard let id = message.id else {
            await handleNotification(method, params: message.params)
            return .none
        }
        let version = protocolVersion
        if version == nil && method != "initialize" && method != "ping" {
            return .reply(JSONRPC.error(id, JSONRPC.invalidRequest, "Invalid request: send initialize before \(method)."))
        }
        if let params = message.params, params.objectValue == nil {
            return .reply(JSONRPC.error(id, JSONRPC.invalidParams, "Invalid params: \"params\" must be an object."))
        }
        let params = message.params?.objectValue ?? [:]
        if version == ProtocolVersion.stateless && !ProtocolVersion.statelessMethods.contains(method) {
            return .reply(JSONRPC.error(id, JSONRPC.methodNotFound, "Method not found: \(method.prefix(200)) is not part of protocol 2026-07-28."))
        }
        switch method {
        case "tools/call", "resources/read", "prompts/get", "completion/complete":
            let work = slowHandler(method, id: id, params: params, channel: channel)
            if inline { return await work().map(Dispatched.reply) ?? .none }
            let started = inFlight.start(id) {
                if let reply = await work() { channel.reply(reply) } else { channel.noReply() }
            }
            return started
                ? .later
                : .reply(JSONRPC.error(id, JSONRPC.invalidRequest, "Invalid request: id \(id) is already in use by a running request."))
        default:
            do {
                return .reply(try quickHandler(method, id: id, params: params))
            } catch let failure as JSONRPC.Failure {
                return .reply(JSONRPC.error(id, failure.code, failure.message))
            } catch {
                return .reply(JSONRPC.error(id, JSONRPC.internalError, "\(error)"))
            }
        }
    }

    private func quickHandler(_ method: String, id: ID, params: [String: JSONValue]) throws -> Data {
        switch method {
        case "initialize": return try initialize(id: id, params: params)
        case "ping": return JSONRPC.result(id, JSONValue.object([:]))
        case "tools/list": return try listTools(id: id, params: params)
        case "resources/list": return try listResources(id: id, params: params)
        case "resources/templates/list": return listResourceTemplates(id: id)
        case "resources/subscribe": return try subscribe(id: id, params: params)
        case "resources/unsubscribe": return try unsubscribe(id: id, params: params)
        case "prompts/list": return try listPrompts(id: id, params: params)
        case "logging/setLevel": return try setLogLevel(id: id, params: params)
        case "server/discover": return discover(id: id)
        default:
            throw JSONRPC.Failure(JSONRPC.methodNotFound, "Method not found: \(method.prefix(200)).")
        }
    }

    /// Captures what a slow method needs from the session now, and returns the work to run off the actor.
    private func slowHandler(
        _ method: String, id: ID, params: [String: JSONValue], channel: any ReplyChannel
    ) -> @Sendable () async -> Data? {
        let services = self.services
        let roots = clientRoots
        switch method {
        case "tools/call":
            let context = toolContext(progressToken: params["_meta"]?["progressToken"], channel: channel)
            let version = protocolVersion ?? ProtocolVersion.latest
            return { await Self.callTool(id: id, params: params, services: services, context: context, version: version) }
        case "resources/read":
            return { await Self.readResource(id: id, params: params, services: services, roots: roots) }
        case "prompts/get":
            return { Self.getPrompt(id: id, params: params, services: services) }
        default:
            return { Self.complete(id: id, params: params, services: services, roots: roots) }
        }
    }

    // MARK: - Lifecycle

    private func initialize(id: ID, params: [String: JSONValue]) throws -> Data {
        guard let requested = params["protocolVersion"]?.stringValue else {
            throw JSONRPC.Failure.invalidParams("Invalid params: initialize needs a string \"protocolVersion\".")
        }
        let version = ProtocolVersion.negotiate(requested)
        let name = params["clientInfo"]?["name"]?.stringValue.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
        let accepted = state.withLock { state -> Bool in
            guard state.protocolVersion == nil else { return false }
            state.protocolVersion = version
            if let name { state.clientName = name }
            state.clientSupportsRoots = params["capabilities"]?["roots"] != nil
            state.clientSupportsElicitation = params["capabilities"]?["elicitation"] != nil
            state.clientSupportsSampling = params["capabilities"]?["sampling"] != nil
            return true
        }
        guard accepted else {
            throw JSONRPC.Failure(JSONRPC.invalidRequest, "Invalid request: the session is already initialized.")
        }
        let result = Initialize.Result(
            protocolVersion: version, capabilities: Self.capabilities(version, canPush: canPush),
            serverInfo: Server.Info(name: "fathom", version: services.version, title: "Fathom"),
            instructions: MCPServices.instructions)
        logger.debug("initialized", metadata: ["client": "\(client)", "protocol": "\(version)"])
        return JSONRPC.result(id, result)
    }

    private func handleNotification(_ method: String, params: JSONValue?) async {
        switch method {
        case "notifications/initialized", "notifications/roots/list_changed":
            if state.withLock({ $0.clientSupportsRoots }) && services.config.filesystem.useClientRoots { fetchRoots() }
        case "notifications/cancelled":
            guard let requestID = params?["requestId"], let id = Self.id(from: requestID) else { return }
            inFlight.cancel(id)
        default:
            break  // unknown notifications are ignored, as JSON-RPC requires
        }
    }

    /// Ends the session: waits up to `grace` for running calls, then cancels what is left and waits
    /// for the cancelled calls to stop, so their audit rows are queued before anyone flushes the log.
    public func close(grace: Duration = .seconds(5)) async {
        let running = inFlight.running
        if !running.isEmpty {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for task in running { await task.value }
                }
                group.addTask { try? await Task.sleep(for: grace) }
                await group.next()
                // Either every call finished or the grace ran out; cancelling stops the rest, and the
                // group then waits for them (each checks for cancellation as it works).
                inFlight.cancelAll()
                group.cancelAll()
            }
        }
        inFlight.cancelAll()
        let (tasks, waiting) = state.withLock { state in
            defer {
                state.watcher = nil
                state.background.removeAll()
                state.pending.removeAll()
            }
            return ([state.watcher].compactMap { $0 } + state.background, Array(state.pending.values))
        }
        for task in tasks { task.cancel() }
        for continuation in waiting { continuation.resume(throwing: CancellationError()) }
    }

    // MARK: - Requests to the client

    /// Sends a request to the client and waits for its result, at most `timeout`.
    /// - Parameter channel: the stream of the call it belongs to (a Streamable HTTP POST); else the session's sink.
    func request(
        _ method: String, _ params: JSONValue, timeout: Duration = .seconds(10), via channel: (any ReplyChannel)? = nil
    ) async throws -> JSONValue {
        let id = ID.string("fathom-\(state.withLock { state in state.requestCounter += 1; return state.requestCounter })")
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.handleResponse(id: id, result: nil, error: ["code": -32001, "message": "timed out"])
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            state.withLock { $0.pending[id] = continuation }
            let message = JSONRPC.request(id, method, params)
            if let channel { channel.notify(message) } else { sink.send(message) }
        }
    }

    private func handleResponse(id: ID, result: JSONValue?, error: JSONValue?) {
        guard let continuation = state.withLock({ $0.pending.removeValue(forKey: id) }) else { return }
        if let result {
            continuation.resume(returning: result)
        } else {
            continuation.resume(throwing: JSONRPC.Failure(error?["code"]?.intValue ?? -32603, error?["message"]?.stringValue ?? "error"))
        }
    }

    private func fetchRoots() {
        let task = Task {
                do {
                    let result = try await self.request("roots/list", [:])
                    let paths = (result["roots"]?.arrayValue ?? []).compactMap { root -> String? in
                        guard let uri = root["uri"]?.stringValue else { return nil }
                        return try? FileResources.path(from: uri)
                    }
                    self.setClientRoots(paths)
                } catch {
                    self.logger.warning("roots/list failed; keeping the configured roots", metadata: ["error": "\(error)"])
                }
            }
        state.withLock { state in
            state.background.removeAll { $0.isCancelled }
            state.background.append(task)
        }
    }

    private func setClientRoots(_ paths: [String]) {
        let roots = paths.isEmpty ? nil : paths
        let changed = state.withLock { state -> Bool in
            guard roots != state.clientRoots else { return false }
            state.clientRoots = roots
            return true
        }
        guard changed else { return }
        sink.send(JSONRPC.notification("notifications/resources/list_changed", [:]))
    }

    /// Tells the client that tools, prompts and resources may have changed (after a reload).
    public func announceReload() {
        guard isInitialized, protocolVersion != ProtocolVersion.stateless else { return }
        for list in ["tools", "prompts", "resources"] {
            sink.send(JSONRPC.notification("notifications/\(list)/list_changed", [:]))
        }
    }

    static func id(from value: JSONValue) -> ID? {
        if let string = value.stringValue { return .string(string) }
        if case .int(let number) = value { return .number(number) }
        return nil
    }
}

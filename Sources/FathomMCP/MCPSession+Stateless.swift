import FathomCore
import FathomTools
import Foundation
import MCP
import Synchronization

/// The stateless 2026-07-28 revision: no `initialize`; each request carries its protocol version,
/// client capabilities and client info in `params._meta`, and `server/discover` replaces the handshake.
/// Each request runs on a session of its own that lives as long as the request.
extension MCPSession {
    public static let metaVersion = "io.modelcontextprotocol/protocolVersion"
    public static let metaCapabilities = "io.modelcontextprotocol/clientCapabilities"
    public static let metaClientInfo = "io.modelcontextprotocol/clientInfo"
    public static let metaLogLevel = "io.modelcontextprotocol/logLevel"
    static let metaServerInfo = "io.modelcontextprotocol/serverInfo"

    /// A session for one 2026-07-28 request, set up from the request's `_meta`.
    public static func stateless(services: @escaping @Sendable () -> MCPServices, identity: String?, meta: [String: JSONValue]) -> MCPSession {
        let session = MCPSession(provider: services, sink: DiscardingSink(), identity: identity)
        session.state.withLock { state in
            state.protocolVersion = ProtocolVersion.stateless
            if let name = meta[metaClientInfo]?["name"]?.stringValue, !name.isEmpty { state.clientName = String(name.prefix(200)) }
            // Log messages only when the request asks for them.
            state.logLevel = meta[metaLogLevel]?.stringValue.flatMap(ToolContext.LogLevel.init(rawValue:))
        }
        return session
    }

    /// A session for one request of an earlier revision in `http.stateless` mode: already initialized at `version`.
    public static func preinitialized(services: @escaping @Sendable () -> MCPServices, identity: String?, version: String) -> MCPSession {
        let session = MCPSession(provider: services, sink: DiscardingSink(), identity: identity)
        session.state.withLock { $0.protocolVersion = ProtocolVersion.negotiate(version) }
        return session
    }

    /// - Parameter canPush: the transport can deliver messages outside a request's reply; without that
    ///   (`http.stateless`), subscriptions and list-changed notifications are not offered.
    static func capabilities(_ version: String, canPush: Bool) -> Server.Capabilities {
        Server.Capabilities(
            completions: version >= "2025-03-26" ? .init() : nil, logging: .init(), prompts: .init(listChanged: canPush),
            resources: .init(subscribe: canPush, listChanged: canPush), tools: .init(listChanged: canPush))
    }

    /// Whether this session has somewhere to send unsolicited messages.
    var canPush: Bool { !(sink is DiscardingSink) }

    func discover(id: ID) -> Data {
        JSONRPC.result(
            id,
            [
                "supportedVersions": [.string(ProtocolVersion.stateless)],
                // No subscriptions in this revision, so no listChanged or subscribe; logging is per request.
                "capabilities": ["tools": [:], "resources": [:], "prompts": [:], "completions": [:]],
                "instructions": .string(MCPServices.instructions),
            ] as JSONValue)
    }

    /// Adds what every 2026-07-28 result carries: `resultType`, cache hints on lists and reads, and the
    /// server's identity in `_meta`.
    /// - Returns: the decorated reply, and the JSON-RPC error code when the reply is an error (which
    ///   passes through unchanged), so the transport can pick the HTTP status without parsing again.
    static func statelessReply(_ reply: Data, method: String, version: String) -> (data: Data, errorCode: Int?) {
        guard case .object(var message)? = try? JSONParser.parse(reply) else { return (reply, nil) }
        guard case .object(var result)? = message["result"] else {
            return (reply, message["error"]?["code"]?.intValue)
        }
        result["resultType"] = "complete"
        if method.hasSuffix("/list") || method == "resources/read" || method == "server/discover" {
            // Lists depend on the caller's policy, and change on reload: private, and not cached.
            result["ttlMs"] = 0
            result["cacheScope"] = "private"
        }
        var meta = result["_meta"]?.objectValue ?? [:]
        meta[metaServerInfo] = ["name": "fathom", "version": .string(version)]
        result["_meta"] = .object(meta)
        message["result"] = .object(result)
        return (Data(JSONWriter.write(.object(message))), nil)
    }
}

/// Decorates the replies of one 2026-07-28 request, and remembers an error reply's code.
public final class StatelessReplyChannel: ReplyChannel {
    let inner: any ReplyChannel
    let method: String
    let version: String
    private let code = Mutex<Int?>(nil)

    public init(_ inner: any ReplyChannel, method: String, version: String) {
        self.inner = inner
        self.method = method
        self.version = version
    }

    /// The JSON-RPC error code of the reply, when it was an error.
    public var errorCode: Int? { code.withLock { $0 } }

    public func notify(_ message: Data) { inner.notify(message) }
    public func reply(_ message: Data) {
        let (data, errorCode) = MCPSession.statelessReply(message, method: method, version: version)
        code.withLock { $0 = errorCode }
        inner.reply(data)
    }
    public func noReply() { inner.noReply() }
}

/// A stateless request has no stream of its own for unsolicited messages.
public struct DiscardingSink: MessageSink {
    public init() {}
    public func send(_ message: Data) {}
}

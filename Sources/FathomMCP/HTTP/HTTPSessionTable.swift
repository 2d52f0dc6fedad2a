import FathomCore
import Foundation
import Synchronization

/// The live HTTP sessions, by `Mcp-Session-Id`, with a cap and an idle timeout.
public final class HTTPSessionTable: Sendable {
    public let maxSessions: Int
    public let idleTimeout: Duration
    private let sessions = Mutex<[String: HTTPSession]>([:])
    private let services: @Sendable () -> MCPServices
    private let scheduler: PostExchange.Scheduler?

    /// - Parameters:
    ///   - services: read per request, so a reload reaches open sessions too.
    ///   - scheduler: the timer that turns slow replies into resumable streams; without one they stay JSON.
    public init(
        maxSessions: Int, idleTimeout: Duration, scheduler: PostExchange.Scheduler? = nil,
        services: @escaping @Sendable () -> MCPServices
    ) {
        self.maxSessions = maxSessions
        self.idleTimeout = idleTimeout
        self.scheduler = scheduler
        self.services = services
    }

    public struct Full: Error {}

    /// A legacy SSE session whose stream is gone (or never started) ends after this, whatever the idle timeout.
    static let legacyGrace = Duration.seconds(30)

    /// Opens a session for `identity`.
    /// - Parameter legacy: an HTTP+SSE session, which is useless without its stream.
    /// - Throws: ``Full`` at the cap.
    public func open(identity: String?, legacy: Bool = false) throws(Full) -> HTTPSession {
        let session = HTTPSession(id: Self.newID(), identity: identity, services: services, scheduler: scheduler, legacy: legacy)
        try sessions.withLock { sessions throws(Full) in
            guard sessions.count < maxSessions else { throw Full() }
            sessions[session.id] = session
        }
        return session
    }

    /// The session with this id, if it is open and belongs to `identity`. Someone else's session
    /// looks the same as a missing one, so ids cannot be probed.
    public func session(_ id: String, identity: String?) -> HTTPSession? {
        guard let session = sessions.withLock({ $0[id] }), session.identity == identity else { return nil }
        session.touch()
        return session
    }

    /// Ends a session. - Returns: false when there was none.
    @discardableResult
    public func close(_ id: String) async -> Bool {
        guard let session = sessions.withLock({ $0.removeValue(forKey: id) }) else { return false }
        await session.close()
        return true
    }

    public var count: Int { sessions.withLock { $0.count } }

    /// Ends sessions that have had no request and no open stream for ``idleTimeout``.
    /// - Returns: how many ended.
    @discardableResult
    public func closeIdle(now: ContinuousClock.Instant = .now) async -> Int {
        let deadline = now - idleTimeout
        let legacyDeadline = now - min(idleTimeout, Self.legacyGrace)
        let idle = sessions.withLock { sessions -> [HTTPSession] in
            let idle = sessions.values.filter { $0.isIdle(since: $0.isLegacy ? legacyDeadline : deadline) }
            for session in idle { sessions[session.id] = nil }
            return idle
        }
        for session in idle { await session.close() }
        return idle.count
    }

    /// Tells every session's client that its lists may have changed.
    public func announceReload() {
        for session in sessions.withLock({ Array($0.values) }) { session.mcp.announceReload() }
    }

    /// Ends every session (shutdown), all at once so their grace periods overlap.
    public func closeAll() async {
        let all = sessions.withLock { sessions in
            defer { sessions.removeAll() }
            return Array(sessions.values)
        }
        await withTaskGroup(of: Void.self) { group in
            for session in all { group.addTask { await session.close() } }
        }
    }

    /// 128 bits from the system's cryptographic generator (getrandom on Linux), as 32 hex digits.
    static func newID() -> String {
        Hex.random(bytes: 16)
    }
}

import FathomCore
import Foundation
import Logging
import Synchronization

/// Writes audit rows behind the reply, so a tool call never waits for redaction or a disk commit.
///
/// `record` only queues (under a lock, no actor hop); one owned task redacts and commits the queue in
/// batches. `flush()` returns once every row queued before it is committed; shutdown calls it, so a
/// clean exit loses nothing. A crash can lose only rows queued in the last moments, never a committed one.
public final class AuditLog: Sendable {
    /// Past this many queued rows, new rows are dropped and counted, so a stuck disk cannot exhaust memory.
    public static let maxQueued = 100_000
    /// The writer waits this long for more rows before committing: under load one transaction then
    /// carries hundreds of rows instead of one, which took the writer's CPU from a third of a busy
    /// server's to a sliver. A row is still on disk within about this long of its call.
    public static let coalescingDelay = Duration.milliseconds(20)

    private struct State {
        var queue: [(record: AuditRecord, arguments: JSONValue)] = []
        var isWriting = false
        /// Rows queued and rows committed (or failed) since the start: a flush waits for its own mark.
        var queued = 0
        var done = 0
        var waiters: [(mark: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var dropped = 0
    }

    private let store: any Store
    private let redactor: Redactor
    private let logger: Logger
    private let state = Mutex(State())

    public init(store: any Store, redactor: Redactor = Redactor(), logger: Logger = Logger(label: "fathom.audit")) {
        self.store = store
        self.redactor = redactor
        self.logger = logger
    }

    /// Queues one row; the writer commits it within about ``coalescingDelay``.
    /// - Parameters:
    ///   - record: the call; its `arguments` are filled in by the writer.
    ///   - arguments: the arguments as called, redacted by the writer before they are stored.
    public func record(_ record: AuditRecord, arguments: JSONValue) {
        let startWriter = state.withLock { state -> Bool in
            guard state.queue.count < Self.maxQueued else {
                state.dropped += 1
                return false
            }
            state.queue.append((record, arguments))
            state.queued += 1
            guard !state.isWriting else { return false }
            state.isWriting = true
            return true
        }
        if startWriter { Task.detached { await self.drain() } }
    }

    /// Returns once every row queued before the call is committed (or has failed to commit, which is
    /// logged); rows queued later do not hold it up.
    public func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                guard state.done < state.queued else { return true }
                state.waiters.append((state.queued, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Rows refused because the queue was full.
    public var droppedCount: Int { state.withLock { $0.dropped } }

    /// Strings longer than this (file contents, mostly) are not stored: the row says how long they were.
    public static let maxStoredString = 4096

    static func omittingLongStrings(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text) where text.utf8.count > maxStoredString:
            return .string("[\(text.utf8.count) bytes, not stored]")
        case .array(let items):
            return .array(items.map(omittingLongStrings))
        case .object(let members):
            return .object(members.mapValues(omittingLongStrings))
        default:
            return value
        }
    }

    private func drain() async {
        while true {
            try? await Task.sleep(for: Self.coalescingDelay)
            let batch = state.withLock { state -> [(record: AuditRecord, arguments: JSONValue)] in
                defer { state.queue.removeAll(keepingCapacity: true) }
                if state.queue.isEmpty { state.isWriting = false }
                return state.queue
            }
            // Checked under the same lock that clears `isWriting`: a row queued after it starts a new writer.
            if batch.isEmpty { return }
            let records = batch.map { entry in
                var record = entry.record
                record.arguments = redactor.redact(Self.omittingLongStrings(entry.arguments)).encodedString()
                // Redacted whole, then cut: a cut first could leave half a key that no pattern recognizes.
                record.error = record.error.map { String(redactor.redact($0).prefix(2000)) }
                return record
            }
            do {
                try await store.appendAudit(records)
            } catch {
                logger.error("audit rows could not be written", metadata: ["rows": "\(records.count)", "error": "\(error)"])
            }
            let released = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.done += batch.count
                let done = state.done
                let ready = state.waiters.filter { $0.mark <= done }.map(\.continuation)
                state.waiters.removeAll { $0.mark <= done }
                return ready
            }
            for waiter in released { waiter.resume() }
        }
    }
}

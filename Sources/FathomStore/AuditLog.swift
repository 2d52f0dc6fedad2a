import Logging

/// Writes audit rows behind the response, so a tool call never waits for a disk commit.
///
/// Rows are queued and committed in batches by one owned task. `flush()` waits for every row queued
/// before it; shutdown calls it so nothing queued is lost on a clean exit.
public actor AuditLog {
    /// Past this many queued rows, `record` waits for a commit instead of growing the queue.
    public static let maxQueued = 10_000

    private let store: any Store
    private let logger: Logger
    private var queue: [AuditRecord] = []
    private var writer: Task<Void, Never>?
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(store: any Store, logger: Logger = Logger(label: "fathom.audit")) {
        self.store = store
        self.logger = logger
    }

    /// Queues one row; it is committed within a few milliseconds.
    public func record(_ record: AuditRecord) async {
        if queue.count >= Self.maxQueued { await flush() }
        queue.append(record)
        startWriterIfIdle()
    }

    /// Returns once every row queued before the call is committed (or has failed to commit, which is logged).
    public func flush() async {
        guard writer != nil || !queue.isEmpty else { return }
        startWriterIfIdle()
        await withCheckedContinuation { waiters.append($0) }
    }

    private func startWriterIfIdle() {
        guard writer == nil else { return }
        writer = Task { await self.drain() }
    }

    private func drain() async {
        while !queue.isEmpty {
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            do {
                try await store.appendAudit(batch)
            } catch {
                logger.error("audit rows could not be written", metadata: ["rows": "\(batch.count)", "error": "\(error)"])
            }
        }
        writer = nil
        let done = waiters
        waiters.removeAll()
        for waiter in done { waiter.resume() }
    }
}

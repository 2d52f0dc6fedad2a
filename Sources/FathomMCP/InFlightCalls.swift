import MCP
import Synchronization

/// The calls a session is running, by request id, so `notifications/cancelled` can stop them.
///
/// A lock rather than actor state: a finishing call removes itself without hopping back to the session.
final class InFlightCalls: Sendable {
    private let tasks = Mutex<[ID: Task<Void, Never>]>([:])

    /// Runs calls on this executor (stdio's single thread), or on the global pool when nil.
    private let executor: (any TaskExecutor)?

    init(executor: (any TaskExecutor)?) {
        self.executor = executor
    }

    /// Starts `work` under `id`, unless a call with that id is still running.
    /// - Returns: false when the id is taken.
    func start(_ id: ID, _ work: @escaping @Sendable () async -> Void) -> Bool {
        tasks.withLock { tasks in
            guard tasks[id] == nil else { return false }
            // Inserted under the lock: a call that finishes at once still finds its own entry to remove.
            tasks[id] = Task(executorPreference: executor) { [self] in
                await work()
                _ = self.tasks.withLock { $0.removeValue(forKey: id) }
            }
            return true
        }
    }

    func cancel(_ id: ID) {
        tasks.withLock { $0[id] }?.cancel()
    }

    var running: [Task<Void, Never>] { tasks.withLock { Array($0.values) } }
    var isEmpty: Bool { tasks.withLock { $0.isEmpty } }

    func cancelAll() {
        let all = tasks.withLock { tasks in
            defer { tasks.removeAll() }
            return Array(tasks.values)
        }
        for task in all { task.cancel() }
    }
}

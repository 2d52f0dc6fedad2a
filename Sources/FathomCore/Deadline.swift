import Synchronization

/// Bounds a piece of async work in time: a model call with its stream, another MCP server's answer, an agent's run.
public enum Deadline {
    /// Runs `work`, and throws `timeout` once `seconds` have passed without it finishing. The work is cancelled then,
    /// but not waited for: work that ignores cancellation (another server's SDK call blocked on a pipe) must not hold
    /// the caller past its deadline. Cancelling the caller cancels the work too.
    public static func run<T: Sendable>(
        seconds: Double, timeout: @autoclosure () -> any Error, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let late = Late(timeout())
        return try await first(work, {
            try? await Task.sleep(for: .seconds(seconds))
            try Task.checkCancellation()
            throw late.error
        })
    }

    /// The result (or error) of whichever finishes first; the others are cancelled and not waited for.
    public static func first<T: Sendable>(_ works: (@Sendable () async throws -> T)...) async throws -> T {
        let outcome = Outcome<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                outcome.start(continuation)
                let tasks = works.map { work in
                    Task {
                        do {
                            outcome.finish(.success(try await work()))
                        } catch {
                            outcome.finish(.failure(error))
                        }
                    }
                }
                outcome.own(tasks)
            }
        } onCancel: {
            outcome.finish(.failure(CancellationError()))
        }
    }

    /// The timeout error, made before the race so the timer can throw it.
    private struct Late: @unchecked Sendable {
        // @unchecked: created once and only read.
        let error: any Error
        init(_ error: any Error) { self.error = error }
    }

    /// Resumes the caller once, with whichever finishes first; then cancels the rest.
    private final class Outcome<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            var pending: Result<T, any Error>?
            var tasks: [Task<Void, Never>] = []
            var done = false
        }

        private let state = Mutex(State())

        func start(_ continuation: CheckedContinuation<T, any Error>) {
            let early = state.withLock { state -> Result<T, any Error>? in
                guard let pending = state.pending else {
                    state.continuation = continuation
                    return nil
                }
                return pending
            }
            if let early { continuation.resume(with: early) }
        }

        func own(_ tasks: [Task<Void, Never>]) {
            let cancel = state.withLock { state -> Bool in
                state.tasks += tasks
                return state.done
            }
            if cancel { tasks.forEach { $0.cancel() } }
        }

        /// - Returns: whether this result was the one delivered.
        @discardableResult
        func finish(_ result: Result<T, any Error>) -> Bool {
            let (continuation, tasks, won) = state.withLock { state -> (CheckedContinuation<T, any Error>?, [Task<Void, Never>], Bool) in
                guard !state.done else { return (nil, [], false) }
                state.done = true
                defer { state.continuation = nil }
                if state.continuation == nil { state.pending = result }
                return (state.continuation, state.tasks, true)
            }
            continuation?.resume(with: result)
            tasks.forEach { $0.cancel() }
            return won
        }
    }
}

/// Bounds a piece of async work in time: a model call with its stream, another MCP server's answer, an agent's run.
public enum Deadline {
    /// Runs `work`, and throws `timeout` if it has not finished within `seconds` (cancelling it).
    public static func run<T: Sendable>(
        seconds: Double, timeout: @autoclosure () -> any Error, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let finished = try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        guard let finished else { throw timeout() }
        return finished
    }
}

extension Task where Success == Never, Failure == Never {
    /// Gives the thread back long enough for waiting input to be read (`notifications/cancelled`, other
    /// requests). `Task.yield()` is not enough where a NIO event loop is Swift's global executor
    /// (`fathom serve`, `fathom mcp`): NIO runs every ready task before it polls for I/O again, so a
    /// task that keeps yielding starves the loop. A short sleep leaves the loop idle, and it polls.
    public static func pauseForInput() async {
        try? await Task<Never, Never>.sleep(for: .microseconds(50))
    }
}

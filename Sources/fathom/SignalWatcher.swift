import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Turns SIGTERM and SIGINT into an awaitable event, so shutdown runs as ordinary code.
enum SignalWatcher {
    /// Returns when the process receives one of `signals`.
    static func wait(for signals: [Int32] = [SIGTERM, SIGINT]) async {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        let sources = signals.map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        for await _ in stream { return }
    }
}

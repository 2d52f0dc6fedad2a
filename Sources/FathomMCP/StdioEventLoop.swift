import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One thread that both reads stdin and runs every job of the stdio session's tasks.
///
/// With a reader thread feeding Swift's global pool, each call crossed threads twice (reader → session
/// → tool task), and on these virtual machines each wake-up cost more than the call itself. Here the
/// thread polls stdin and a wake-up pipe; jobs enqueued from this thread run in the same turn of the
/// loop, and only jobs from other threads (timers, the audit writer's completions) write to the pipe.
final class StdioEventLoop: TaskExecutor, @unchecked Sendable {
    // @unchecked: every field is immutable, atomic, or guarded by `jobs`' lock.
    private let jobs = Mutex<[UnownedJob]>([])
    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// The loop thread's id, 0 until it starts: read by `enqueue` on any thread.
    private let loopThread = Atomic<UInt>(0)

    init() {
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        wakeRead = fds[0]
        wakeWrite = fds[1]
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let wasIdle = jobs.withLock { queue in
            queue.append(unowned)
            return queue.count == 1
        }
        if wasIdle && !isLoopThread {
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    private var isLoopThread: Bool {
        loopThread.load(ordering: .acquiring) == UInt(pthread_self())
    }

    /// Starts the loop on a new thread.
    /// - Parameters:
    ///   - input: the descriptor to read, split into lines of at most `limit` bytes.
    ///   - deliver: called on the loop thread with each line.
    ///   - onEnd: called at end of input with the bytes of an unfinished last line; the loop keeps serving jobs.
    /// - warning: the thread runs until the process exits.
    func start(
        input: Int32, limit: Int, deliver: @escaping @Sendable (StdioTransport.Input) -> Void,
        onEnd: @escaping @Sendable (Int) -> Void
    ) {
        let thread = Thread { [self] in
            loopThread.store(UInt(pthread_self()), ordering: .releasing)
            var splitter = LineSplitter(limit: limit)
            run(input: input, onBytes: { splitter.feed($0, emit: deliver) }, onEnd: { onEnd(splitter.pendingBytes) })
        }
        thread.name = "fathom-stdio"
        thread.start()
    }

    private func run(input: Int32, onBytes: (ArraySlice<UInt8>) -> Void, onEnd: () -> Void) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var inputOpen = true
        let executor = asUnownedTaskExecutor()
        while true {
            // One batch per turn, then a look at the input: a long call that yields (a search walking a
            // big tree) must not starve the reading of the `notifications/cancelled` that stops it.
            let batch = jobs.withLock { queue -> [UnownedJob] in
                defer { queue.removeAll(keepingCapacity: true) }
                return queue
            }
            for job in batch { job.runSynchronously(on: executor) }
            let moreReady = jobs.withLock { !$0.isEmpty }
            var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if inputOpen { fds.append(pollfd(fd: input, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), moreReady ? 0 : -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[0].revents != 0 {
                var drain = [UInt8](repeating: 0, count: 64)
                while read(wakeRead, &drain, drain.count) > 0 {}
            }
            guard inputOpen, fds.count > 1, fds[1].revents != 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count > 0 {
                onBytes(buffer[0..<count])
            } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                inputOpen = false
                onEnd()
            }
        }
    }
}

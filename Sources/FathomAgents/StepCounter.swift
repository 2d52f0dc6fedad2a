import Synchronization

/// Numbers the steps a run reports, from any task.
final class StepCounter: Sendable {
    private let count = Atomic<Int>(0)

    func next() -> Int { count.add(1, ordering: .relaxed).newValue }
}

import Synchronization

/// The store's ingestion workers: one task per running job, and the switch that stops them for a shutdown.
///
/// A job's task checks ``isStopping`` before each document it prepares: once set, it stores the group it has
/// prepared so far (one transaction) and leaves the rest queued. ``stop(within:)`` waits for that up to a bound.
final class IngestionRunner: Sendable {
    private struct State {
        var running: [String: Task<IngestionResult, any Error>] = [:]
        var stopping = false
    }

    private let state = Mutex(State())

    /// Whether a shutdown asked the workers to stop.
    var isStopping: Bool { state.withLock { $0.stopping } }

    /// Ids of the jobs a task works on now.
    var runningJobs: Set<String> { state.withLock { Set($0.running.keys) } }

    /// Starts `work` for job `id` and returns its task, or the task already working on it; nil once stopping (the
    /// job stays queued for the next start).
    func start(
        _ id: String, _ work: @escaping @Sendable () async throws -> IngestionResult
    ) -> Task<IngestionResult, any Error>? {
        state.withLock { state in
            if let existing = state.running[id] { return existing }
            guard !state.stopping else { return nil }
            // The task cannot leave `running` before it is in it: its removal waits for this lock.
            let task = Task {
                defer { self.finished(id) }
                return try await work()
            }
            state.running[id] = task
            return task
        }
    }

    private func finished(_ id: String) {
        _ = state.withLock { $0.running.removeValue(forKey: id) }
    }

    /// Asks every worker to stop after the group it is on and waits for them up to `bound`; returns the jobs whose
    /// worker was still running then (it is cancelled; its unstored documents are still queued).
    func stop(within bound: Duration) async -> [String] {
        state.withLock { $0.stopping = true }
        let deadline = ContinuousClock.now + bound
        while ContinuousClock.now < deadline {
            if state.withLock({ $0.running.isEmpty }) { return [] }
            try? await Task.sleep(for: .milliseconds(10))
        }
        let left = state.withLock { $0.running }
        for task in left.values { task.cancel() }
        return left.keys.sorted()
    }
}

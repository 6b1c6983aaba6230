import NIOCore
import NIOPosix

/// The threads request handlers run on: a task executor over its own thread pool, kept apart from Swift's
/// cooperative pool.
///
/// Handlers call the store synchronously: SQLite statements, index walks, and for writes the store's mutex, which
/// one write transaction (an ingested document with its chunks) holds for milliseconds. The cooperative pool has
/// one thread per core — two on a small box — so two handlers waiting for that mutex there would leave no thread
/// for any other request, health probes included, and none for the event loops' hand-offs. On these threads a
/// blocked handler blocks only itself.
final class BlockingWorkExecutor: TaskExecutor, Sendable {
    private let pool: NIOThreadPool
    let threadCount: Int

    /// Four threads per core, at least eight: enough that handlers waiting for a write leave threads for the
    /// searches, which never wait for one; few enough that a burst does not thrash two cores.
    static var defaultThreadCount: Int { max(8, 4 * System.coreCount) }

    /// The process's executor: its threads are idle between requests, and every server in the process shares them.
    static let shared = BlockingWorkExecutor()

    init(threadCount: Int = defaultThreadCount) {
        self.threadCount = threadCount
        pool = NIOThreadPool(numberOfThreads: threadCount)
        pool.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        pool.submit { _ in job.runSynchronously(on: executor) }
    }
}

import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a batch of vectors joins the graph while searches keep running.
///
/// A batch is inserted in two phases. Storing (vectors, levels, upper-record offsets, the slot count) happens under
/// the write lock, so nothing reads a buffer while it may move. Linking then runs under the *read* lock, beside
/// searches: workers write link lists only under the node's stripe lock, and searches read them under it while
/// ``linkingBatchCount`` is above zero. A lone worker of a lone batch reads without the stripes, since no other
/// thread writes. Workers claim rows from a shared counter, so no worker waits for another until the batch ends (the
/// former design linked fixed chunks under the write lock and stopped every worker at each chunk's end to let
/// searches in).
///
/// Readers that need a still graph — a segment image, the invariant check — take ``linkPhase`` exclusively, which
/// waits for linking batches to finish, and also wait out a batch that has stored its rows but not begun linking
/// them (``withStillGraph(_:)``). Lock order: ``lock`` before ``linkPhase`` before a stripe; a thread holds at
/// most one stripe.
///
/// A search during a batch may meet a stored slot that has no links yet: it is measured like any other and may be
/// returned, exactly as rows of a finished chunk were before.
extension HNSWIndex {
    /// Batches smaller than this link under the write lock: a search waits briefly, and the walks skip the stripes.
    static let concurrentLinkingMinimumRows = 256

    /// Rows between progress reports.
    static let progressInterval = 256

    /// Stores a batch's vectors and levels and makes them visible to searches; returns the first new slot.
    /// Runs under the write lock (buffers may move).
    func storeRows(_ vectors: UnsafePointer<Float>, rows: Int) throws(IndexError) -> Int {
        guard !store.floats.isBorrowed else { throw .readOnly }
        guard slotCount + rows <= Self.maxSlotCount else { throw .capacityExceeded(limit: Self.maxSlotCount) }
        let first = slotCount
        let total = first + rows
        // A batch's final size is known: allocate it once instead of doubling past it.
        let exact = rows > 1
        store.reserve(rows: total, exact: exact)
        groundLinks.reserve(rows: total, exact: exact)
        levels.reserve(rows: total, exact: exact)
        upperOffsets.reserve(rows: total, exact: exact)
        twinHeads.reserve(rows: total, exact: exact)
        let dimension = parameters.dimension
        for row in 0..<rows {
            let slot = Slot(first + row)
            store.write(vectors + row * dimension, to: slot)
            let level = randomLevel(for: slot)
            levels.row(Int(slot)).storeBytes(of: UInt8(level), as: UInt8.self)
            if level > 0 {
                // Records are appended in slot order, which is the segment file's order; new rows are zeroed.
                upperArena.reserve(rows: upperRecordCount + level)
                upperOffsets.row(Int(slot)).storeBytes(of: UInt32(upperRecordCount), as: UInt32.self)
                upperRecordCount += level
            }
        }
        slotCount = total
        store.trainQuantizerIfReady(rows: total)
        return first
    }

    /// Stores `rows` vectors under the write lock, then links them under the read lock while searches run.
    func linkConcurrentlyWithSearches(
        _ vectors: UnsafePointer<Float>, rows: Int, workers: Int, progress: (@Sendable (Int) -> Void)?
    ) throws(IndexError) -> Int {
        let first = try lock.withWriteLock { () throws(IndexError) -> Int in
            let first = try storeRows(vectors, rows: rows)
            // Set under the write lock, so every search that starts from here on sees it and locks the stripes.
            linkingBatchCount.add(1, ordering: .relaxed)
            return first
        }
        defer { linkingBatchCount.subtract(1, ordering: .relaxed) }
        lock.withReadLock {
            linkPhase.withReadLock {
                linkRows(from: first, count: rows, workers: workers, searchesRun: true, progress: progress)
            }
        }
        return first
    }

    /// Runs `body` under the shared lock while no batch links and none has stored rows it has not linked yet.
    ///
    /// Holding ``linkPhase`` exclusively keeps linking workers out, but a batch stores its rows (raising
    /// `slotCount`) under the write lock and only then takes ``linkPhase``: between the two, its rows are visible
    /// with no links. ``linkingBatchCount`` counts batches from storing to the end of linking, so a count above zero
    /// here is such a batch (or one about to lower the count): let it in and try again. A steady stream of batches
    /// can delay the caller, never a batch.
    func withStillGraph<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        while true {
            let done = try lock.withReadLock { () throws(E) -> T? in
                try linkPhase.withWriteLock { () throws(E) -> T? in
                    guard linkingBatchCount.load(ordering: .acquiring) == 0 else { return nil }
                    return try body()
                }
            }
            if let done { return done }
            sched_yield()
        }
    }

    /// INSERT for slots `first..<first + count`, whose vectors and levels are stored, on `workers` threads.
    /// `searchesRun`: searches may read lists meanwhile, so writes take the stripe locks even on one thread.
    func linkRows(from first: Int, count: Int, workers: Int, searchesRun: Bool, progress: (@Sendable (Int) -> Void)?) {
        // Each worker takes the next row: every worker stays near the insertion frontier, and none waits for another.
        let nextRow = Atomic<Int>(0)
        let linkedRows = Atomic<Int>(0)
        let threads = min(workers, max(1, count / 2))
        // Reads need the stripes only when another thread writes: a second worker, or a second batch that stored its
        // rows before this one took the read lock (its count was raised under the write lock, so it shows here).
        // Searches never write.
        let lockReads = threads > 1 || (searchesRun && linkingBatchCount.load(ordering: .relaxed) > 1)
        let lockWrites = threads > 1 || searchesRun
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let scratch = scratchPool.checkOut()
            defer { scratchPool.checkIn(scratch) }
            while true {
                let row = nextRow.wrappingAdd(1, ordering: .relaxed).oldValue
                guard row < count else { return }
                link(Slot(first + row), scratch: scratch, lockReads: lockReads, lockWrites: lockWrites)
                let linked = linkedRows.wrappingAdd(1, ordering: .relaxed).newValue
                if linked % Self.progressInterval == 0 || linked == count { progress?(linked) }
            }
        }
    }
}

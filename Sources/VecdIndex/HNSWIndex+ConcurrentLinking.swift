import Dispatch
import Synchronization

/// How a batch of vectors joins the graph while searches keep running.
///
/// A batch is inserted in two phases. Storing (vectors, levels, upper-record offsets, the slot count) happens under
/// the write lock, so nothing reads a buffer while it may move. Linking then runs under the *read* lock, beside
/// searches: the workers and the searches read and write link lists only under the node's stripe lock, and searches
/// take those locks only while ``linkingBatchCount`` is above zero. Workers claim rows from a shared counter, so no
/// worker waits for another until the batch ends (the former design linked fixed chunks under the write lock and
/// stopped every worker at each chunk's end to let searches in).
///
/// Readers that need a still graph — a segment image, the invariant check — take ``linkPhase`` exclusively, which
/// waits for linking batches to finish. Lock order: ``lock`` before ``linkPhase`` before a stripe; a thread holds at
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
                linkRows(from: first, count: rows, workers: workers, locked: true, progress: progress)
            }
        }
        return first
    }

    /// INSERT for slots `first..<first + count`, whose vectors and levels are stored, on `workers` threads.
    /// `locked`: take the stripe locks (other threads may read or write the same lists).
    func linkRows(from first: Int, count: Int, workers: Int, locked: Bool, progress: (@Sendable (Int) -> Void)?) {
        // Each worker takes the next row: every worker stays near the insertion frontier, and none waits for another.
        let nextRow = Atomic<Int>(0)
        let linkedRows = Atomic<Int>(0)
        let threads = min(workers, max(1, count / 2))
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let scratch = scratchPool.checkOut()
            defer { scratchPool.checkIn(scratch) }
            while true {
                let row = nextRow.wrappingAdd(1, ordering: .relaxed).oldValue
                guard row < count else { return }
                link(Slot(first + row), scratch: scratch, locked: locked)
                let linked = linkedRows.wrappingAdd(1, ordering: .relaxed).newValue
                if linked % Self.progressInterval == 0 || linked == count { progress?(linked) }
            }
        }
    }
}

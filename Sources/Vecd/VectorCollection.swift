import Synchronization
public import VecdIndex
public import VecdKernels
import VecdSQLite
import VecdStorage

/// A collection's settings, as stored in the `collections` table.
public struct CollectionInfo: Sendable, Equatable {
    /// Unique name; names starting with `_` are the store's own (memories, knowledge, cache).
    public var name: String
    public var dimension: Int
    public var metric: DistanceMetric
    /// The embedding model whose vectors the collection holds ("" when vectors come raw).
    public var modelID: String
    public var storage: VectorStorageMode

    public init(
        name: String, dimension: Int, metric: DistanceMetric = .cosine, modelID: String = "",
        storage: VectorStorageMode = .float32
    ) {
        self.name = name
        self.dimension = dimension
        self.metric = metric
        self.modelID = modelID
        self.storage = storage
    }
}

/// A collection's index: a ``VecdStorage/VectorCollection`` (WAL, in-memory part, memory-mapped segment files) in
/// `DIR/collections/<id>/`, keyed by the `slot` column of the `vectors` rows. SQLite is the source of truth; the
/// index files record the last `vector_changes` seq they hold, so an open re-applies only the changes after it
/// (see `VectorCollection+Open.swift`) and can always be rebuilt from the rows.
///
/// Slots are handed out from a counter that never goes back while a logged change names a slot, so a slot's vector
/// never changes: an index that holds a slot holds the right vector for it.
final class VectorCollection: Sendable {
    let id: Int64
    let info: CollectionInfo
    let storage: VecdStorage.VectorCollection
    /// Why the index was rebuilt from SQLite when it opened (files missing, damaged, newer or stale); nil when it
    /// opened from its files.
    let rebuildReason: String?
    /// Whether the index was rebuilt on request (``VecdStore/reindex(progress:)``) since the store opened: a fresh
    /// index, not a sign of damage.
    let reindexed: Bool
    private let nextSlot: Mutex<Int64>
    /// The log entries at or before this seq are gone from `vector_changes` (pruned once the files covered them).
    private let prunedThrough: Mutex<UInt64>
    /// Set when the index failed to take committed changes (a full disk): the seq after which it may lack some.
    /// The next write re-applies the log from there (``StoreState/applyChanges(after:)``), so a failure never
    /// leaves a gap that later, successful writes would hide behind a watermark past it.
    private let behindSince: Mutex<UInt64?>
    /// Why the index could not be brought up to date when it opened (nil when it was).
    let openFailure: String?

    init(
        id: Int64, info: CollectionInfo, storage: VecdStorage.VectorCollection, nextSlot: Int64,
        prunedThrough: UInt64, rebuildReason: String?, reindexed: Bool = false, behindSince: UInt64? = nil,
        openFailure: String? = nil
    ) {
        self.id = id
        self.info = info
        self.storage = storage
        self.nextSlot = Mutex(nextSlot)
        self.prunedThrough = Mutex(prunedThrough)
        self.rebuildReason = rebuildReason
        self.reindexed = reindexed
        self.behindSince = Mutex(behindSince)
        self.openFailure = openFailure
    }

    /// The seq after which the index may lack committed changes, or nil when it holds them all.
    var lagsSince: UInt64? { behindSince.withLock { $0 } }

    /// Records that the changes after `sequence` may be missing from the index (keeping the earliest such point).
    func markLagging(since sequence: UInt64) {
        behindSince.withLock { $0 = min($0 ?? sequence, sequence) }
    }

    /// Records that the index holds every committed change again.
    func markCaughtUp() { behindSince.withLock { $0 = nil } }

    /// A slot no row of the collection has used; called inside the write transaction (a rolled-back one leaves a
    /// gap, which is harmless).
    func allocateSlot() -> Int64 {
        nextSlot.withLock { slot in
            defer { slot += 1 }
            return slot
        }
    }

    /// Live vectors in the index.
    var liveCount: Int { storage.stats().liveCount }

    /// Applies committed changes (`vector_changes` up to `sequence`) to the index files, then prunes the log
    /// entries the files now cover. An index failure is returned, not thrown: the change is committed in SQLite and
    /// the next open (or ``catchUp(connection:)``) re-applies it.
    func apply(_ writes: [CollectionWrite], sequence: UInt64, connection: Connection) -> (any Error)? {
        do {
            if !writes.isEmpty { try storage.write(writes, externalSequence: sequence) }
            try pruneLog(connection: connection)
            return nil
        } catch {
            return error
        }
    }

    /// Deletes the log entries the index files cover; cheap when there is nothing new to prune.
    func pruneLog(connection: Connection) throws {
        let covered = storage.coveredExternalSequence
        guard covered > prunedThrough.withLock({ $0 }) else { return }
        try connection.run(
            "DELETE FROM vector_changes WHERE collection_id = ? AND seq <= ?", [id, Int64(clamping: covered)])
        try connection.run(
            "INSERT INTO vector_index_state (collection_id, pruned_through) VALUES (?, ?) "
                + "ON CONFLICT (collection_id) DO UPDATE SET pruned_through = excluded.pruned_through",
            [id, Int64(clamping: covered)])
        prunedThrough.withLock { $0 = covered }
    }

    /// The `k` nearest of `allowed` (every slot when nil) to `vector`, with the candidate list raised to `k` when
    /// `efSearch` is smaller; a refusal becomes `VecdError(.invalidArgument)`.
    func nearest(_ vector: [Float], k: Int, efSearch: Int, allowed: [Slot]?) throws(VecdError) -> NearestSlots {
        do {
            let found = try storage.searchReporting(
                vector, k: k, efSearch: max(efSearch, k), allowedIDs: allowed.map { Set($0.lazy.map(UInt64.init)) })
            return NearestSlots(
                // A non-finite distance means a damaged row: it must never reach a ranking or an answer.
                neighbors: found.hits.lazy.filter(\.distance.isFinite).map {
                    Neighbor(slot: Slot(truncatingIfNeeded: $0.id), distance: $0.distance)
                },
                report: found.report)
        } catch { throw VecdError(.invalidArgument, "search: \(error.detail)") }
    }

    /// The similarity shown to callers (higher is closer): `1 - distance` for cosine, the inner product for dot,
    /// and `-distance` for L2.
    func score(distance: Float) -> Double {
        switch info.metric {
        case .cosine: return 1 - Double(distance)
        case .dot, .l2: return -Double(distance)
        }
    }
}

/// Slots nearest to a query, nearest first, with how the search went.
struct NearestSlots: Sendable {
    var neighbors: [Neighbor]
    var report: SearchReport
}

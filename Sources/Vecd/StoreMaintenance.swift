/// One step of a long store operation (``VecdStore/compact(vacuum:progress:)``, ``VecdStore/reindex(progress:)``,
/// ``VecdStore/backup(to:progress:)``), for progress output.
public struct MaintenanceProgress: Sendable, Equatable {
    /// The collection being worked on, or nil for a store-wide step (the SQLite vacuum or copy).
    public var collection: String?
    /// What is happening, in a few words ("compacting", "rebuilt 40000 vectors").
    public var step: String
    /// Collections finished so far, and how many there are in all.
    public var completed: Int
    public var total: Int
    /// Which collection of `total` the step is about, counted from 1, the same in its start and end steps
    /// (`[2/3] docs: rebuilding`, then `[2/3] docs: rebuilt 40 vectors`); 0 for a store-wide step.
    public var number: Int

    public init(collection: String?, step: String, completed: Int, total: Int, number: Int) {
        self.collection = collection
        self.step = step
        self.completed = completed
        self.total = total
        self.number = number
    }
}

/// What ``VecdStore/compact(vacuum:progress:)`` did.
public struct StoreCompactionReport: Sendable, Equatable {
    /// Per collection that had something to merge.
    public var collections: [String: CollectionCompaction]
    /// Whether SQLite was vacuumed too.
    public var vacuumed: Bool
}

/// One collection's compaction: its segments merged into one with a freshly built graph, deleted rows dropped.
public struct CollectionCompaction: Sendable, Equatable {
    public var mergedSegments: Int
    public var keptRows: Int
    public var droppedRows: Int
}

/// A collection's index as ``VecdStore/stats()`` reports it.
public struct IndexStatistics: Sendable, Equatable {
    public var name: String
    public var dimension: Int
    /// "f32", "f16" or "int8": what the graph walk reads (the re-rank always reads f32 from the mapped file).
    public var storageMode: String
    /// Vectors stored in SQLite (the source of truth) and live in the index; equal in a healthy store.
    public var storedVectors: Int
    public var indexedVectors: Int
    /// Segment files, their rows (deleted included) and deleted rows (reclaimed by compaction).
    public var segmentCount: Int
    public var segmentRows: Int
    public var deletedRows: Int
    /// Rows in memory, not yet in a segment file (re-applied from the log on the next open).
    public var unflushedRows: Int
    /// Bytes of the index files on disk (segments, bitmaps, manifest, WAL).
    public var fileByteCount: Int
    /// Why the index was rebuilt from SQLite at open because its files were unusable (damage), or nil when it
    /// opened from its files. A rebuild asked for by ``VecdStore/reindex(progress:)`` is not damage: see `reindexed`.
    public var rebuildReason: String?
    /// Whether ``VecdStore/reindex(progress:)`` rebuilt the index since the store opened.
    public var reindexed: Bool = false
    /// A committed change the index failed to take since open (it has it again after a reopen or reindex).
    public var indexFailure: String?
}

/// What ``VecdStore/stats()`` reports.
public struct StoreStatistics: Sendable, Equatable {
    public var collections: [IndexStatistics]
    /// Bytes of `vecd.sqlite` (its WAL file included).
    public var databaseByteCount: Int
    /// Logged vector changes not yet covered by index files (re-applied at the next open).
    public var pendingChanges: Int
}

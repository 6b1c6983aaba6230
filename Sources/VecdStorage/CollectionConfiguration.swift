public import VecdIndex

/// How a ``VectorCollection`` is built, synced and flushed.
public struct CollectionConfiguration: Sendable, Equatable {
    /// The collection's name inside the data directory (UTF-8; the manifest holds it, file names do not).
    public var name: String
    /// Graph settings for new segments and the mutable part. An existing collection must have the same dimension
    /// and metric; `m`, `efConstruction` and the storage mode may differ per segment (each file carries its own).
    public var parameters: HNSWParameters
    /// When the write-ahead log is fsynced; a write is acknowledged only after the fsync that covers it.
    public var syncPolicy: WALSyncPolicy
    /// The mutable part is written out as a segment once it holds this many rows (deleted ones included).
    /// 50,000 rows of 384 floats is ~75 MB of WAL to replay on the next open, about a second of inserts to redo.
    public var flushRowCount: Int
    /// Block alignment of new segment files (4, 16 or 64 KiB; see ``SegmentWriter/defaultPageByteCount``).
    public var pageByteCount: Int
    /// Worker threads for batch inserts and compaction builds; nil uses every core.
    public var buildThreads: Int?

    public init(
        name: String, parameters: HNSWParameters, syncPolicy: WALSyncPolicy = .groupCommit(milliseconds: 2),
        flushRowCount: Int = 50_000, pageByteCount: Int = SegmentWriter.defaultPageByteCount, buildThreads: Int? = nil
    ) {
        self.name = name
        self.parameters = parameters
        self.syncPolicy = syncPolicy
        self.flushRowCount = flushRowCount
        self.pageByteCount = pageByteCount
        self.buildThreads = buildThreads
    }
}

/// Whether a ``VectorCollection`` may write.
public enum CollectionAccess: Sendable, Equatable {
    /// Takes the directory's writer lock and the WAL; a second writer gets ``StorageError/Code/locked``.
    case readWrite
    /// Takes no lock and writes nothing: reads the manifest, maps the segments and replays the WAL into memory,
    /// so it sees every acknowledged write up to the moment it opened. Allowed beside a writer.
    case readOnly
}

/// One change to a collection, as ``VectorCollection/write(_:)`` takes them.
public enum CollectionWrite: Sendable, Equatable {
    /// Stores `vector` under `id`, replacing what `id` held before.
    case upsert(id: UInt64, vector: [Float])
    /// Removes `id` (nothing happens when it is absent).
    case delete(id: UInt64)
}

/// One search result: a caller id and its distance to the query under the collection's metric.
public struct CollectionHit: Sendable, Equatable {
    public var id: UInt64
    public var distance: Float

    public init(id: UInt64, distance: Float) {
        self.id = id
        self.distance = distance
    }
}

/// Where a collection's rows are and how many there are; see ``VectorCollection/stats()``.
public struct CollectionStats: Sendable, Equatable {
    /// Live (searchable) ids.
    public var liveCount: Int
    /// Segment files the manifest names for this collection.
    public var segmentCount: Int
    /// Rows in those files, deleted ones included.
    public var segmentRowCount: Int
    /// Segment rows deleted or replaced since the file was written (reclaimed by ``VectorCollection/compact()``).
    public var segmentDeletedCount: Int
    /// Rows in the in-memory part not yet flushed, replaced ones included.
    public var mutableRowCount: Int
    /// The last WAL record applied in memory.
    public var appliedSequence: SequenceNumber
    /// The last WAL record the segment files cover (replay on open starts after it).
    public var coveredSequence: SequenceNumber
    /// The manifest's generation (one more on every flush or compaction).
    public var manifestGeneration: UInt64
}

public import Vecd

/// ``VecdStore/stats()`` on the wire: the `index` part of `GET /v1/admin/stats`, from which `vecd stats --data DIR`
/// beside a running server prints the same lines as when it opens the store itself.
public struct StoreStatisticsWire: Codable, Sendable, Equatable {
    /// One collection's index figures (``IndexStatistics``).
    public struct Collection: Codable, Sendable, Equatable {
        public var name: String
        public var dimension: Int
        public var storage: String
        public var storedVectors: Int
        public var indexedVectors: Int
        public var segments: Int
        public var segmentRows: Int
        public var deletedRows: Int
        public var unflushedRows: Int
        public var fileBytes: Int
        public var rebuildReason: String?
        /// Rebuilt on request (reindex) since the store opened; absent from older servers.
        public var reindexed: Bool?
        public var indexFailure: String?

        enum CodingKeys: String, CodingKey {
            case name, dimension, storage, segments, reindexed
            case storedVectors = "stored_vectors"
            case indexedVectors = "indexed_vectors"
            case segmentRows = "segment_rows"
            case deletedRows = "deleted_rows"
            case unflushedRows = "unflushed_rows"
            case fileBytes = "file_bytes"
            case rebuildReason = "rebuild_reason"
            case indexFailure = "index_failure"
        }
    }

    public var databaseBytes: Int
    public var pendingChanges: Int
    public var collections: [Collection]

    enum CodingKeys: String, CodingKey {
        case collections
        case databaseBytes = "database_bytes"
        case pendingChanges = "pending_changes"
    }

    public init(_ statistics: StoreStatistics) {
        databaseBytes = statistics.databaseByteCount
        pendingChanges = statistics.pendingChanges
        collections = statistics.collections.map {
            Collection(
                name: $0.name, dimension: $0.dimension, storage: $0.storageMode, storedVectors: $0.storedVectors,
                indexedVectors: $0.indexedVectors, segments: $0.segmentCount, segmentRows: $0.segmentRows,
                deletedRows: $0.deletedRows, unflushedRows: $0.unflushedRows, fileBytes: $0.fileByteCount,
                rebuildReason: $0.rebuildReason, reindexed: $0.reindexed, indexFailure: $0.indexFailure)
        }
    }
}

public import Foundation

extension VecdStore {
    /// Behaviour settings of a store; every limit has a documented default.
    public struct Configuration: Sendable {
        /// Cosine similarity at or above which a new memory updates its nearest neighbour in the same scope
        /// instead of being added (unless ``nearDuplicateGuard`` sees a difference in meaning).
        public var memoryMergeThreshold: Double = 0.92
        /// Decides whether two texts may be treated as one (memory merge, semantic cache hit).
        public var nearDuplicateGuard: any NearDuplicateGuard = BasicNearDuplicateGuard()
        /// Upper bound of one user's free-text memory (seed 004's `user_memories`), in UTF-8 bytes.
        public var userMemoryByteLimit = 16_384
        /// Largest document accepted, in UTF-8 bytes.
        public var maxDocumentByteCount = 10 * 1024 * 1024
        /// Largest memory, knowledge item, message, cache query or response, in UTF-8 bytes.
        public var maxTextByteCount = 1024 * 1024
        /// Texts sent to the embedder per call.
        public var embeddingBatchSize = 64
        /// Cache entries kept at most (seed 002: `CACHE_MAX_ENTRIES=1000`); the least recently used go first.
        public var cacheMaxEntries = 1_000
        /// Bytes of cached queries and responses kept at most; the least recently used go first.
        public var cacheMaxByteCount = 64 * 1024 * 1024
        /// Lifetime of a cache entry put without its own (seed 002: `CACHE_TTL_SECONDS=3600`); nil keeps entries.
        public var cacheDefaultTTLSeconds: Double? = 3_600
        /// Cosine similarity a cached query needs for a semantic hit.
        public var cacheSemanticThreshold = 0.95
        /// Candidate-list size of vector searches (pgvector's `hnsw.ef_search` is 40).
        public var efSearch = 64
        /// An index's in-memory part is written out as a segment file once it holds this many rows; the next open
        /// re-applies at most this many changes per collection.
        public var indexFlushRowCount = 50_000
        /// Threads for batch index inserts, compaction and reindex builds; nil uses every core.
        public var indexBuildThreads: Int? = nil
        /// Chunks an ingestion stores per transaction (and per index batch); a document is never split across two.
        /// 1 stores each document in its own transaction, as vecd did before groups: kept for A/B measurements.
        var ingestionGroupChunkCount = 512
        /// Leave words found in more than half the rows out of full-text queries (``VecdStore/fullTextSearch``,
        /// ``VecdStore/fullTextSearchMemories``);
        /// false keeps every word, for A/B measurements.
        var fullTextDropsCommonWords = true
        /// The time source: injected so that TTL tests need no sleeping.
        public var clock: @Sendable () -> Date = { Date() }

        public init() {}
    }
}

/// Milliseconds since 1970, the unit of every timestamp column.
func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

/// The date of a timestamp column.
func date(milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

/// A new public id.
func newID() -> String { UUID().uuidString.lowercased() }

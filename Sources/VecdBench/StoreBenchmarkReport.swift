/// Latency quantiles of one kind of call, in milliseconds.
public struct LatencySummary: Codable, Sendable, Equatable {
    public var count: Int
    public var p50Ms: Double
    public var p99Ms: Double
    public var maxMs: Double

    /// The summary of `samples` (milliseconds); zeros when there are none.
    public init(_ samples: [Double]) {
        let sorted = samples.sorted()
        count = sorted.count
        func quantile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
            return sorted[min(max(rank, 0), sorted.count - 1)]
        }
        p50Ms = quantile(0.5)
        p99Ms = quantile(0.99)
        maxMs = sorted.last ?? 0
    }

    enum CodingKeys: String, CodingKey {
        case count, p50Ms = "p50_ms", p99Ms = "p99_ms", maxMs = "max_ms"
    }
}

/// What `vecd bench store --json` writes (see ``StoreBenchmark``).
public struct StoreBenchmarkReport: Codable, Sendable {
    public var chunks: Int
    public var dimension: Int
    public var embedderModelID: String
    /// `VecdStore.temporary()` plus one catalog read, per open.
    public var temporaryStoreStartup: LatencySummary
    public var ingestSeconds: Double
    public var ingestChunksPerSecond: Double
    /// Opening the durable store after ingestion (a restart) until the first hybrid answer is back.
    public var reopenToFirstResultMs: Double
    public var hybridSearch: LatencySummary
    public var fullTextSearch: LatencySummary
    public var vectorSearch: LatencySummary
    public var cacheExactHit: LatencySummary
    /// A lookup whose exact hash misses, so the semantic path (embed, nearest cached query, guard) runs.
    public var cacheSemanticLookup: LatencySummary
    public var cacheEntries: Int
    /// Size of the store's directory after the run (SQLite file, WAL, segments).
    public var directoryBytes: Int

    enum CodingKeys: String, CodingKey {
        case chunks, dimension, embedderModelID = "embedder_model_id"
        case temporaryStoreStartup = "temporary_store_startup", ingestSeconds = "ingest_seconds"
        case ingestChunksPerSecond = "ingest_chunks_per_second", reopenToFirstResultMs = "reopen_to_first_result_ms"
        case hybridSearch = "hybrid_search", fullTextSearch = "full_text_search", vectorSearch = "vector_search"
        case cacheExactHit = "cache_exact_hit", cacheSemanticLookup = "cache_semantic_lookup"
        case cacheEntries = "cache_entries", directoryBytes = "directory_bytes"
    }
}

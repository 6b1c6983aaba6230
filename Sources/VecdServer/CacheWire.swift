import Vecd

/// A tenant's cache figures, as seed 002's `/cache/stats`, `/v1/cache/stats` and `/v1/admin/stats` answer them.
struct CacheStatsWire: Encodable {
    var hits: Int
    var misses: Int
    var hitRate: Double
    var entries: Int
    var bytes: Int

    enum CodingKeys: String, CodingKey {
        case hits, misses, entries, bytes
        case hitRate = "hit_rate"
    }

    init(_ stats: CacheStats) {
        hits = stats.hits
        misses = stats.misses
        hitRate = stats.hitRate
        entries = stats.entries
        bytes = stats.bytes
    }
}

/// How many rows a clear removed: `{"removed": n}`.
struct RemovedWire: Encodable {
    var removed: Int
}

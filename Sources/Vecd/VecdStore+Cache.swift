import VecdEmbed
import Foundation
import VecdIndex
import VecdSQLite

extension VecdStore {
    static let cacheColumns = """
        r.query_text, r.response, r.model_id, r.metadata, r.hit_count, r.byte_count, r.created_at, r.expires_at,
        r.last_accessed_at
        """

    static func readCacheEntry(_ row: Statement) -> CacheEntry {
        CacheEntry(
            query: row.string(0), response: row.string(1), modelID: row.string(2), metadata: .parse(row.string(3)),
            hitCount: row.int(4), byteCount: row.int(5), createdAt: date(milliseconds: row.int64(6)),
            expiresAt: row.optionalInt(7).map { date(milliseconds: Int64($0)) },
            lastAccessedAt: date(milliseconds: row.int64(8)))
    }

    static func cacheCollectionName(model: String) -> String { "_cache:" + model }

    /// The model id entries are keyed by when none is named: the embedder's, or "raw" for a store without one.
    var defaultCacheModel: String { embedder?.modelID ?? "raw" }

    /// Caches `response` for `query`, keyed by tenant, embedding model and the normalized query's hash, replacing
    /// an entry with the same key. `ttlSeconds` nil takes ``Configuration/cacheDefaultTTLSeconds``; `.infinity`
    /// never expires. The query is embedded (or `vector` used) for semantic hits. Afterwards the least recently used
    /// entries are evicted until the store is within ``Configuration/cacheMaxEntries`` and
    /// ``Configuration/cacheMaxByteCount``.
    /// The longest finite time to live a cache entry takes: 100 years. Longer ones would overflow the millisecond
    /// clock; an entry that should never expire takes an infinite TTL.
    public static let maxCacheTTLSeconds: Double = 100 * 365.25 * 86_400

    @discardableResult
    public func cachePut(
        query: String, response: String, tenant: String = defaultTenant, modelID: String? = nil,
        ttlSeconds: Double? = nil, metadata: Metadata = [:], vector: [Float]? = nil
    ) async throws(VecdError) -> CacheEntry {
        try checkTenant(tenant)
        try checkText(query, limit: configuration.maxTextByteCount, what: "cache query")
        guard response.utf8.count <= configuration.maxTextByteCount else {
            throw VecdError(
                .tooLarge,
                "cache response has \(response.utf8.count) bytes; the limit is \(configuration.maxTextByteCount)")
        }
        try checkMetadata(metadata)
        let ttl = ttlSeconds ?? configuration.cacheDefaultTTLSeconds
        if let ttl, !(ttl >= 0.001 && (ttl <= Self.maxCacheTTLSeconds || ttl == .infinity)) {
            throw VecdError(
                .invalidArgument,
                "ttlSeconds must be in [0.001, \(Int(Self.maxCacheTTLSeconds))] (a millisecond to 100 years) or infinite for no expiry, got \(ttl)")
        }
        let model = modelID ?? defaultCacheModel
        try checkIdentifier(model, what: "model id")
        if let vector { try checkCacheVector(vector, model: model) }
        let embedding: [Float]? =
            if let vector { vector } else if embedder?.modelID == model {
                try await embed([query])[0]
            } else { nil }
        let normalized = QueryNormalizer.normalize(query)
        let stamp = milliseconds(now)
        let expires: Int64? = ttl.flatMap { $0.isFinite ? stamp + Int64(($0 * 1000).rounded()) : nil }
        let byteCount = query.utf8.count + response.utf8.count
        let maxEntries = configuration.cacheMaxEntries
        let maxBytes = configuration.cacheMaxByteCount
        return try write { state, changes in
            var vectorID: Int64?
            if let embedding {
                let collection = try ownCollection(
                    Self.cacheCollectionName(model: model), dimension: embedding.count, modelID: model, state: state,
                    changes: changes)
                try checkVector(embedding, dimension: collection.info.dimension, what: "cache query vector")
                vectorID = try changes.insert(embedding, into: collection, connection: state.connection)
            }
            _ = try deleteCacheRows(
                "tenant_id = ? AND model_id = ? AND query_hash = ?", [tenant, model, QueryNormalizer.hash(normalized)],
                state: state, changes: changes)
            try state.connection.run(
                """
                INSERT INTO response_cache (tenant_id, model_id, query_hash, query_text, response, metadata, byte_count,
                    created_at, expires_at, last_accessed_at, vector_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    tenant, model, QueryNormalizer.hash(normalized), query, response, metadata.jsonText, byteCount,
                    stamp,
                    expires, stamp, vectorID,
                ])
            let id = state.connection.lastInsertRowID
            try evictCache(maxEntries: maxEntries, maxBytes: maxBytes, now: stamp, state: state, changes: changes)
            guard
                let entry = try state.connection.queryFirst(
                    "SELECT \(Self.cacheColumns) FROM response_cache r WHERE r.id = ?", [id], row: Self.readCacheEntry)
            else {
                throw VecdError(
                    .tooLarge, "the entry has \(byteCount) bytes; the cache holds at most \(maxBytes) bytes in all")
            }
            return entry
        }
    }

    /// Looks `query` up: an exact hit on the normalized query, else (when `semantic`) the nearest cached query of
    /// the same tenant and model at or above ``Configuration/cacheSemanticThreshold`` that the
    /// ``Configuration/nearDuplicateGuard`` accepts ("turn on the lights" never answers "turn off the lights").
    /// Expired entries never hit. Counts a hit or a miss.
    public func cacheGet(
        query: String, tenant: String = defaultTenant, modelID: String? = nil, semantic: Bool = true,
        vector: [Float]? = nil
    ) async throws(VecdError) -> CacheHit? {
        try checkTenant(tenant)
        try checkText(query, limit: configuration.maxTextByteCount, what: "cache query")
        let model = modelID ?? defaultCacheModel
        // Before the exact lookup: a vector of the wrong shape is refused even when the text alone would hit.
        if let vector { try checkCacheVector(vector, model: model) }
        let normalized = QueryNormalizer.normalize(query)
        let stamp = milliseconds(now)
        if let hit = try write({ state, _ -> CacheHit? in
            guard
                let (id, entry) = try state.connection.queryFirst(
                    "SELECT r.id, \(Self.cacheColumns) FROM response_cache r WHERE r.tenant_id = ? AND r.model_id = ? "
                        + "AND r.query_hash = ? AND (r.expires_at IS NULL OR r.expires_at > ?)",
                    [tenant, model, QueryNormalizer.hash(normalized), stamp],
                    row: { ($0.int64(0), Self.readCacheEntryShifted($0)) }),
                QueryNormalizer.normalize(entry.query) == normalized
            else { return nil }
            return CacheHit(
                entry: try Self.recordHit(id: id, tenant: tenant, now: stamp, connection: state.connection),
                match: .exact)
        }) {
            return hit
        }
        if semantic,
            let hit = try await semanticCacheHit(query, vector: vector, tenant: tenant, model: model, now: stamp)
        {
            return hit
        }
        try write { state, _ in try Self.countCache(tenant: tenant, hit: false, connection: state.connection) }
        return nil
    }

    private func semanticCacheHit(
        _ query: String, vector: [Float]?, tenant: String, model: String, now stamp: Int64
    ) async throws(VecdError) -> CacheHit? {
        let hasCollection = try read { state in state.collections[Self.cacheCollectionName(model: model)] != nil }
        guard hasCollection else { return nil }
        let embedding: [Float]
        if let vector {
            embedding = vector
        } else if embedder?.modelID == model {
            embedding = try await embed([query])[0]
        } else {
            return nil
        }
        let threshold = configuration.cacheSemanticThreshold
        let guardrail = configuration.nearDuplicateGuard
        let efSearch = configuration.efSearch
        return try write { state, _ -> CacheHit? in
            let collection = try state.collection(Self.cacheCollectionName(model: model))
            try checkVector(embedding, dimension: collection.info.dimension, what: "cache query vector")
            // Most caches hold one tenant's live entries, so the whole collection is searched first and each hit's
            // tenant and expiry checked; listing the tenant's live entries as a filter costs a row per entry, and is
            // needed only when hits above the threshold belong to another tenant or have expired.
            let nearest = try collection.nearest(embedding, k: Self.semanticCandidates, efSearch: efSearch, allowed: nil)
            switch try Self.firstSemanticMatch(
                query, among: nearest.neighbors, collection: collection, tenant: tenant, now: stamp,
                threshold: threshold, guardrail: guardrail, connection: state.connection)
            {
            case .hit(let hit): return hit
            case .none: return nil
            case .foreignAboveThreshold: break
            }
            let allowed = try state.connection.query(
                "SELECT v.slot FROM response_cache r JOIN vectors v ON v.id = r.vector_id WHERE r.tenant_id = ? "
                    + "AND r.model_id = ? AND (r.expires_at IS NULL OR r.expires_at > ?)", [tenant, model, stamp]
            ) { Slot($0.int64(0)) }
            guard !allowed.isEmpty else { return nil }
            let own = try collection.nearest(embedding, k: Self.semanticCandidates, efSearch: efSearch, allowed: allowed)
            if case .hit(let hit) = try Self.firstSemanticMatch(
                query, among: own.neighbors, collection: collection, tenant: tenant, now: stamp,
                threshold: threshold, guardrail: guardrail, connection: state.connection)
            {
                return hit
            }
            return nil
        }
    }

    /// Refuses a cache query vector that cannot belong to `model`'s entries: of another length than the vectors
    /// cached for that model (or, before any, than the store's embedder makes for it), outside the dimensions a
    /// collection takes, or with a NaN or infinite component.
    private func checkCacheVector(_ vector: [Float], model: String) throws(VecdError) {
        let cached = try read { state in state.collections[Self.cacheCollectionName(model: model)]?.info.dimension }
        let expected = cached ?? (embedder?.modelID == model ? embedder?.dimension : nil)
        if let expected {
            try checkVector(vector, dimension: expected, what: "cache query vector")
            return
        }
        guard HNSWParameters.dimensionRange.contains(vector.count) else {
            throw VecdError(
                .dimensionMismatch,
                "cache query vector: expected 1...\(HNSWParameters.dimensionRange.upperBound) dimensions, "
                    + "got \(vector.count)")
        }
        try checkVector(vector, dimension: vector.count, what: "cache query vector")
    }

    /// Cached queries looked at per semantic lookup, nearest first.
    static let semanticCandidates = 8

    private enum SemanticMatch {
        case hit(CacheHit)
        /// No candidate of the tenant above the threshold passed the guard, and none above it was another's.
        case none
        /// Some candidate above the threshold belonged to another tenant or had expired: a search within the
        /// tenant's live entries may still find a match.
        case foreignAboveThreshold
    }

    /// The first of `candidates` (nearest first) at or above `threshold` that is `tenant`'s, live, and accepted by
    /// `guardrail`; its hit is recorded.
    private static func firstSemanticMatch(
        _ query: String, among candidates: [Neighbor], collection: VectorCollection, tenant: String, now stamp: Int64,
        threshold: Double, guardrail: any NearDuplicateGuard, connection: Connection
    ) throws -> SemanticMatch {
        var sawForeign = false
        for neighbor in candidates {
            let similarity = collection.score(distance: neighbor.distance)
            guard similarity >= threshold else { break }
            guard
                let (id, entry) = try connection.queryFirst(
                    "SELECT r.id, \(cacheColumns) FROM response_cache r JOIN vectors v ON v.id = r.vector_id "
                        + "WHERE v.collection_id = ? AND v.slot = ? AND r.tenant_id = ? "
                        + "AND (r.expires_at IS NULL OR r.expires_at > ?)",
                    [collection.id, Int64(neighbor.slot), tenant, stamp],
                    row: { ($0.int64(0), readCacheEntryShifted($0)) })
            else {
                sawForeign = true
                continue
            }
            if guardrail.allowsMatch(query, entry.query) {
                let updated = try recordHit(id: id, tenant: tenant, now: stamp, connection: connection)
                return .hit(CacheHit(entry: updated, match: .semantic(similarity: similarity)))
            }
        }
        return sawForeign ? .foreignAboveThreshold : .none
    }

    /// Hits, misses, entries and bytes of `tenant`.
    public func cacheStats(tenant: String = defaultTenant) throws(VecdError) -> CacheStats {
        try read { state in
            let counters =
                try state.connection.queryFirst(
                    "SELECT hits, misses FROM cache_counters WHERE tenant_id = ?", [tenant]
                ) { ($0.int(0), $0.int(1)) } ?? (0, 0)
            let size =
                try state.connection.queryFirst(
                    "SELECT count(*), coalesce(sum(byte_count), 0) FROM response_cache WHERE tenant_id = ?", [tenant]
                ) { ($0.int(0), $0.int(1)) } ?? (0, 0)
            let lookups = counters.0 + counters.1
            return CacheStats(
                hits: counters.0, misses: counters.1, hitRate: lookups == 0 ? 0 : Double(counters.0) / Double(lookups),
                entries: size.0, bytes: size.1)
        }
    }

    /// Removes `tenant`'s expired entries, or all of them with `all`; returns how many were removed.
    @discardableResult
    public func clearCache(tenant: String = defaultTenant, all: Bool = false) throws(VecdError) -> Int {
        let stamp = milliseconds(now)
        return try write { state, changes in
            all
                ? try deleteCacheRows("tenant_id = ?", [tenant], state: state, changes: changes)
                : try deleteCacheRows(
                    "tenant_id = ? AND expires_at IS NOT NULL AND expires_at <= ?", [tenant, stamp], state: state,
                    changes: changes)
        }
    }

    // MARK: - Helpers

    /// ``readCacheEntry(_:)`` for rows whose first column is the id.
    static func readCacheEntryShifted(_ row: Statement) -> CacheEntry {
        CacheEntry(
            query: row.string(1), response: row.string(2), modelID: row.string(3), metadata: .parse(row.string(4)),
            hitCount: row.int(5), byteCount: row.int(6), createdAt: date(milliseconds: row.int64(7)),
            expiresAt: row.optionalInt(8).map { date(milliseconds: Int64($0)) },
            lastAccessedAt: date(milliseconds: row.int64(9)))
    }

    private static func recordHit(id: Int64, tenant: String, now stamp: Int64, connection: Connection) throws
        -> CacheEntry
    {
        try connection.run(
            "UPDATE response_cache SET hit_count = hit_count + 1, last_accessed_at = max(last_accessed_at, ?) WHERE id = ?",
            [stamp, id])
        try countCache(tenant: tenant, hit: true, connection: connection)
        return try connection.queryFirst(
            "SELECT \(cacheColumns) FROM response_cache r WHERE r.id = ?", [id], row: readCacheEntry)!
    }

    private static func countCache(tenant: String, hit: Bool, connection: Connection) throws {
        try connection.run(
            "INSERT INTO cache_counters (tenant_id, hits, misses) VALUES (?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE "
                + "SET hits = hits + excluded.hits, misses = misses + excluded.misses",
            [tenant, hit ? 1 : 0, hit ? 0 : 1])
    }

    /// Deletes the cache rows matching `condition` (on `response_cache` columns) and their vectors.
    private func deleteCacheRows(
        _ condition: String, _ values: [any SQLiteBindable], state: StoreState, changes: VectorChanges
    ) throws -> Int {
        // The rows' vectors go by trigger; their logged deletions reach the index after the commit.
        let ids = try state.connection.query("SELECT id FROM response_cache WHERE \(condition)", values) {
            $0.int64(0)
        }
        for id in ids { try state.connection.run("DELETE FROM response_cache WHERE id = ?", [id]) }
        return ids.count
    }

    /// Drops expired entries, then the least recently used, until the cache is within both limits.
    private func evictCache(
        maxEntries: Int, maxBytes: Int, now stamp: Int64, state: StoreState, changes: VectorChanges
    ) throws {
        _ = try deleteCacheRows("expires_at IS NOT NULL AND expires_at <= ?", [stamp], state: state, changes: changes)
        guard
            var (count, bytes) = try state.connection.queryFirst(
                "SELECT count(*), coalesce(sum(byte_count), 0) FROM response_cache", [], row: { ($0.int(0), $0.int(1)) }
            )
        else { return }
        guard count > maxEntries || bytes > maxBytes else { return }
        let oldest = try state.connection.query(
            "SELECT id, byte_count FROM response_cache ORDER BY last_accessed_at, id"
        ) { ($0.int64(0), $0.int(1)) }
        var victims: [Int64] = []
        for (id, size) in oldest where count > maxEntries || bytes > maxBytes {
            victims.append(id)
            count -= 1
            bytes -= size
        }
        _ = try deleteCacheRows(
            "id IN (SELECT value FROM json_each(?))", [JSONValue.array(victims.map { .number(Double($0)) }).jsonText],
            state: state, changes: changes)
    }
}

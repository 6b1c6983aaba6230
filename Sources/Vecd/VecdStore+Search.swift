import Foundation
import VecdIndex
import VecdSQLite

extension VecdStore {
    /// The `k` chunks nearest to `query` among those `filter` allows, best first.
    ///
    /// The filter becomes the set of allowed slots before the index is searched, so the index filters during its
    /// walk (or scans the allowed set exactly when that is cheaper): a selective filter still returns `k` rows when
    /// `k` match. `minScore` drops hits below that similarity (seed 003's `similarity_threshold`). `efSearch`
    /// overrides the store's candidate-list size for this query (pgvector's `SET hnsw.ef_search`): larger finds
    /// more of the true nearest, more slowly.
    public func searchChunks(
        _ query: TextOrVector, in collection: String, filter: DocumentFilter = DocumentFilter(), k: Int = 10,
        minScore: Double? = nil, efSearch: Int? = nil
    ) async throws(VecdError) -> ChunkSearchResult {
        try checkK(k)
        try checkEFSearch(efSearch)
        let vector = try await self.vector(for: query, in: collection)
        return try searchChunks(
            vector: vector, in: collection, filter: filter, k: k, minScore: minScore, efSearch: efSearch)
    }

    /// ``searchChunks(_:in:filter:k:minScore:efSearch:)`` for a query vector, without suspending: it blocks its thread for
    /// the SQL and the index walk, so a server calls it from threads meant for blocking work.
    ///
    /// It never takes the store's lock: the collection comes from the catalog and the SQL runs on a read-only
    /// connection of its own, so searches run side by side and none waits for a write transaction.
    public func searchChunks(
        vector: [Float], in collection: String, filter: DocumentFilter = DocumentFilter(), k: Int = 10,
        minScore: Double? = nil, efSearch: Int? = nil
    ) throws(VecdError) -> ChunkSearchResult {
        try checkK(k)
        try checkEFSearch(efSearch)
        let condition = try filter.sqlCondition()
        let target = try catalog.collection(collection)
        try checkVector(vector, dimension: target.info.dimension, what: "query vector")
        let allowed = try readConcurrently { connection -> [Slot]? in
            // A tenant-only filter over a collection that holds no other tenant's documents allows every slot:
            // search unfiltered and skip listing them. fetchHits checks the tenant again, so a document another
            // tenant adds meanwhile is still never returned.
            // Two range probes on documents_by_tenant: `tenant_id <> ?` would walk every document of the
            // collection (tens of ms per query at 50k documents).
            if filter.isTenantOnly,
                try connection.scalarInt(
                    "SELECT EXISTS (SELECT 1 FROM documents WHERE collection_id = ? AND tenant_id < ?) "
                        + "OR EXISTS (SELECT 1 FROM documents WHERE collection_id = ? AND tenant_id > ?)",
                    [target.id, filter.tenantID, target.id, filter.tenantID]) == 0
            {
                return nil
            }
            return try connection.query(
                """
                SELECT v.slot FROM chunks k JOIN documents d ON d.tenant_id = k.tenant_id AND d.id = k.document_id JOIN vectors v ON v.id = k.vector_id
                WHERE d.collection_id = ? AND \(condition.sql)
                """, [target.id] + condition.values
            ) { Slot($0.int64(0)) }
        }
        let found = try target.nearest(
            vector, k: k, efSearch: efSearch ?? configuration.efSearch, allowed: allowed)
        var hits = try fetchHits(found.neighbors, collection: target, tenant: filter.tenantID)
        if let minScore { hits.removeAll { $0.score < minScore } }
        return ChunkSearchResult(hits: hits, report: found.report)
    }

    /// The rows of `neighbors` in their order; a slot whose row was deleted meanwhile is dropped.
    private func fetchHits(
        _ neighbors: [Neighbor], collection: VectorCollection, tenant: String
    ) throws(VecdError) -> [ChunkHit] {
        guard !neighbors.isEmpty else { return [] }
        let slotList = JSONValue.array(neighbors.map { .number(Double($0.slot)) }).jsonText
        let rows = try readConcurrently { connection in
            try connection.query(
                """
                SELECT \(Self.hitColumns), v.slot
                FROM vectors v JOIN chunks k ON k.vector_id = v.id JOIN documents d ON d.tenant_id = k.tenant_id AND d.id = k.document_id
                WHERE v.collection_id = ? AND v.slot IN (SELECT value FROM json_each(?)) AND d.tenant_id = ?
                """, [collection.id, slotList, tenant]
            ) { (slot: Slot($0.int64(14)), hit: Self.readHit($0)) }
        }
        let bySlot = Dictionary(rows.map { ($0.slot, $0.hit) }, uniquingKeysWith: { first, _ in first })
        return neighbors.compactMap { neighbor in
            guard var hit = bySlot[neighbor.slot] else { return nil }
            hit.score = collection.score(distance: neighbor.distance)
            hit.vectorScore = hit.score
            return hit
        }
    }

    /// The `k` chunks whose text best matches `text` under SQLite FTS5's bm25 (title weighted twice the body).
    ///
    /// The text is split into words and each is searched as a quoted term, so user text never becomes FTS query
    /// syntax; a chunk matching more, rarer words ranks higher. Words in more than half the chunks are first left
    /// out (``FullTextQuery/plan(_:over:connection:dropsCommonWords:)``: bm25 gives them no weight); when that finds
    /// fewer than `k` chunks the search runs again with every word.
    public func fullTextSearch(
        _ text: String, in collection: String, filter: DocumentFilter = DocumentFilter(), k: Int = 10
    ) throws(VecdError) -> [ChunkHit] {
        try checkK(k)
        try checkText(text, limit: configuration.maxTextByteCount, what: "query")
        let condition = try filter.sqlCondition()
        return try read { state in
            let target = try state.collection(collection)
            guard
                let plan = try FullTextQuery.plan(
                    text, over: .chunks, connection: state.connection,
                    dropsCommonWords: state.configuration.fullTextDropsCommonWords)
            else { return [] }
            return try plan.hits(k: k, id: \.chunk.id, score: \.score) { match, ranked, limit in
                // Unranked: the first `limit` matches in FTS5's order; the plan orders them (FullTextQuery.Plan).
                let select = """
                    SELECT \(Self.hitColumns), bm25(chunk_fts, 2.0, 1.0) AS rank
                    FROM chunk_fts JOIN chunks k ON k.id = chunk_fts.rowid JOIN documents d ON d.tenant_id = k.tenant_id AND d.id = k.document_id
                    WHERE chunk_fts MATCH ? AND d.collection_id = ? AND \(condition.sql)
                    """
                let sql = select + (ranked ? " ORDER BY rank LIMIT ?" : " LIMIT ?")
                return try state.connection.query(sql, [match, target.id] + condition.values + [limit]) { row in
                    var hit = Self.readHit(row)
                    hit.score = -row.double(14)
                    hit.textScore = hit.score
                    return hit
                }
            }
        }
    }

    /// Hybrid search (seed 004's `hybrid_search()`): vector and full-text candidates fused by reciprocal rank
    /// fusion, `score = Σ weight / (rrfK + rank)`, with ranks from 1.
    ///
    /// `vector` replaces the embedding of `text` when given; `text` always feeds the full-text side.
    public func hybridSearch(
        _ text: String, vector: [Float]? = nil, in collection: String, filter: DocumentFilter = DocumentFilter(),
        k: Int = 10, weights: FusionWeights = FusionWeights()
    ) async throws(VecdError) -> [ChunkHit] {
        try checkK(k)
        try weights.validate()
        let candidates = Self.hybridCandidateCount(k: k)
        let semantic = try await searchChunks(
            vector.map { .vector($0) } ?? .text(text), in: collection, filter: filter, k: candidates)
        let lexical = try fullTextSearch(text, in: collection, filter: filter, k: candidates)
        return RankFusion.fuse(vector: semantic.hits, text: lexical, weights: weights, k: k)
    }

    /// Rows each side of ``hybridSearch(_:vector:in:filter:k:weights:)`` contributes to the fusion for a search of
    /// `k`: 4·k, at least 40 and at most 1,000, so a row ranked just below k on both sides can still win.
    public static func hybridCandidateCount(k: Int) -> Int {
        min(1000, max(4 * k, 40))
    }

    func checkEFSearch(_ efSearch: Int?) throws(VecdError) {
        guard let efSearch, !SearchParameters.efSearchRange.contains(efSearch) else { return }
        throw VecdError(.invalidArgument, "ef_search must be in 1...1000, got \(efSearch)")
    }

    func checkK(_ k: Int) throws(VecdError) {
        guard SearchParameters.kRange.contains(k) else {
            throw VecdError(.invalidArgument, "k must be in 1...1000, got \(k)")
        }
    }
}

import VecdIndex
import VecdSQLite

/// What ``VecdStore/verify()`` found; a consistent store has no problems.
public struct ConsistencyReport: Sendable, Equatable {
    /// Stored vectors per collection.
    public var storedVectors: [String: Int]
    /// Live vectors in each collection's index.
    public var indexedVectors: [String: Int]
    /// `vectors` rows that no chunk, memory, knowledge item or cache entry owns.
    public var orphanVectors: Int
    /// Chunks, memories and knowledge items without a vector.
    public var rowsWithoutVector: Int
    /// SQLite's own `PRAGMA integrity_check` verdict ("ok" when sound).
    public var integrity: String

    /// Whether SQLite is sound, every vector has its row and every row its vector, and the indexes match SQLite.
    public var isConsistent: Bool {
        orphanVectors == 0 && rowsWithoutVector == 0 && storedVectors == indexedVectors && integrity == "ok"
    }
}

extension VecdStore {
    /// Checks that SQLite and the vector indexes agree (the admin `verify` operation).
    public func verify() throws(VecdError) -> ConsistencyReport {
        try read { state in
            let connection = state.connection
            let integrity = try connection.queryFirst("PRAGMA integrity_check", row: { $0.string(0) }) ?? "no answer"
            let stored = try connection.query(
                "SELECT c.name, count(v.id) FROM collections c LEFT JOIN vectors v ON v.collection_id = c.id GROUP BY c.id"
            ) { ($0.string(0), $0.int(1)) }
            let orphans =
                try connection.scalarInt(
                    """
                    SELECT count(*) FROM vectors v WHERE NOT EXISTS (SELECT 1 FROM chunks WHERE vector_id = v.id)
                        AND NOT EXISTS (SELECT 1 FROM memories WHERE vector_id = v.id)
                        AND NOT EXISTS (SELECT 1 FROM knowledge_items WHERE vector_id = v.id)
                        AND NOT EXISTS (SELECT 1 FROM response_cache WHERE vector_id = v.id)
                    """) ?? 0
            let missing =
                try connection.scalarInt(
                    """
                    SELECT (SELECT count(*) FROM chunks WHERE vector_id IS NULL)
                        + (SELECT count(*) FROM memories WHERE vector_id IS NULL)
                        + (SELECT count(*) FROM knowledge_items WHERE vector_id IS NULL)
                    """) ?? 0
            return ConsistencyReport(
                storedVectors: Dictionary(uniqueKeysWithValues: stored),
                indexedVectors: state.collections.mapValues { $0.index.liveCount }, orphanVectors: orphans,
                rowsWithoutVector: missing, integrity: integrity)
        }
    }
}

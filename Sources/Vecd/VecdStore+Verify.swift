import VecdIndex
import VecdSQLite
import VecdStorage

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
    /// Per collection, what is wrong with its index files (a damaged segment or bitmap, named) or where the index
    /// and SQLite disagree (slots missing from the index, or indexed without a row); empty when every byte checks.
    public var indexProblems: [String: String] = [:]

    /// Whether SQLite is sound, every vector has its row and every row its vector, and the indexes match SQLite.
    public var isConsistent: Bool {
        orphanVectors == 0 && rowsWithoutVector == 0 && storedVectors == indexedVectors && integrity == "ok"
            && indexProblems.isEmpty
    }
}

extension VecdStore {
    /// Checks that SQLite is sound, that every index file reads back under its checksums, and that each index holds
    /// exactly the slots of its collection's `vectors` rows (the admin `verify` operation).
    public func verify() throws(VecdError) -> ConsistencyReport {
        try read { state in
            let connection = state.connection
            let counts = try Self.ownershipCounts(connection)
            let stored = try connection.query(
                "SELECT c.name, count(v.id) FROM collections c LEFT JOIN vectors v ON v.collection_id = c.id GROUP BY c.id"
            ) { ($0.string(0), $0.int(1)) }
            var problems: [String: String] = [:]
            for (name, collection) in state.collections {
                if let problem = try Self.indexProblem(collection, connection: connection) { problems[name] = problem }
                if let failure = state.indexFailures[name] {
                    problems[name, default: ""] += " missed a change: \(failure)"
                }
            }
            return ConsistencyReport(
                storedVectors: Dictionary(uniqueKeysWithValues: stored),
                indexedVectors: state.collections.mapValues(\.liveCount), orphanVectors: counts.orphans,
                rowsWithoutVector: counts.missing, integrity: counts.integrity, indexProblems: problems)
        }
    }

    /// SQLite's integrity verdict, vectors no row owns, and rows without their vector.
    static func ownershipCounts(_ connection: Connection) throws -> (integrity: String, orphans: Int, missing: Int) {
            let integrity = try connection.queryFirst("PRAGMA integrity_check", row: { $0.string(0) }) ?? "no answer"
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
            return (integrity, orphans, missing)
    }
}

extension VecdStore {
    /// Damage in `collection`'s index files, or a disagreement between its slots and the `vectors` rows.
    static func indexProblem(_ collection: VectorCollection, connection: Connection) throws -> String? {
        do { try collection.storage.verify() } catch { return "\(error)" }
        let stored = Set(
            try connection.query("SELECT slot FROM vectors WHERE collection_id = ?", [collection.id]) {
                UInt64($0.int64(0))
            })
        let indexed = Set(collection.storage.ids)
        guard stored != indexed else { return nil }
        let missing = stored.subtracting(indexed).count
        let extra = indexed.subtracting(stored).count
        return "the index lacks \(missing) stored slots and holds \(extra) slots without a row"
    }
}

import Foundation
import VecdIndex
import VecdKernels
import VecdSQLite
import VecdStorage

extension VecdStore {
    /// Checks the store in `directory` without opening it for writing, and without changing a byte of it: SQLite is
    /// read on a read-only connection, each collection's index files are opened read-only (their WAL replayed in
    /// memory only) and checked under their checksums, and the changes the change log holds beyond what the files
    /// cover are applied to the comparison, not to the files. Repairs belong to ``reindex(progress:)``; a checker
    /// never changes what it checks. Missing or unreadable index files are a problem naming the file.
    public static func verifyFiles(in directory: URL) throws(VecdError) -> (ConsistencyReport, StoreStatistics) {
        let path = directory.appendingPathComponent(databaseFileName).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw VecdError(.notFound, "\(directory.path) holds no vecd store (no \(databaseFileName))")
        }
        do {
            let connection = try Connection(path: path, readOnly: true)
            // One read transaction: every count below sees the same commit.
            try connection.run("BEGIN")
            defer { try? connection.run("ROLLBACK") }
            let rows = try connection.query(
                "SELECT id, name, dimension, metric, model_id, storage_mode FROM collections ORDER BY name"
            ) { row in
                CollectionInfo(
                    name: row.string(1), dimension: row.int(2), metric: .init(rawValue: row.string(3)) ?? .cosine,
                    modelID: row.string(4), storage: .init(rawValue: row.string(5)) ?? .float32
                ).withID(row.int64(0))
            }
            var stored: [String: Int] = [:]
            var indexed: [String: Int] = [:]
            var problems: [String: String] = [:]
            var statistics: [IndexStatistics] = []
            for row in rows {
                let slots = Set(
                    try connection.query("SELECT slot FROM vectors WHERE collection_id = ?", [row.id]) {
                        UInt64($0.int64(0))
                    })
                stored[row.name] = slots.count
                let files = VectorCollection.directory(id: row.id, storeDirectory: directory)
                var segments = 0
                var live = 0
                do {
                    let storage = try VecdStorage.VectorCollection(
                        path: files, configuration: VectorCollection.storageConfiguration(row.info, Configuration()),
                        access: .readOnly)
                    defer { try? storage.close() }
                    segments = storage.stats().segmentCount
                    try storage.verify()
                    var held = Set(storage.ids)
                    // The logged changes the files do not cover yet, as the next open would apply them.
                    let pending = try connection.query(
                        """
                        SELECT c.slot, v.slot IS NOT NULL FROM vector_changes c
                        LEFT JOIN vectors v ON v.collection_id = c.collection_id AND v.slot = c.slot
                        WHERE c.collection_id = ? AND c.seq > ? ORDER BY c.seq
                        """, [row.id, Int64(clamping: storage.coveredExternalSequence)]
                    ) { (slot: UInt64($0.int64(0)), exists: $0.int(1) != 0) }
                    for change in pending {
                        if change.exists { held.insert(change.slot) } else { held.remove(change.slot) }
                    }
                    live = held.count
                    if held != slots {
                        problems[row.name] =
                            "the index lacks \(slots.subtracting(held).count) stored slots and holds "
                            + "\(held.subtracting(slots).count) slots without a row"
                    }
                } catch {
                    problems[row.name] = "the index files in \(files) cannot be used: \(error)"
                }
                indexed[row.name] = live
                statistics.append(
                    IndexStatistics(
                        name: row.name, dimension: row.info.dimension, storageMode: row.info.storage.rawValue,
                        storedVectors: slots.count,
                        indexedVectors: live, segmentCount: segments, segmentRows: 0, deletedRows: 0,
                        unflushedRows: 0, fileByteCount: byteCount(of: files), rebuildReason: nil, indexFailure: nil))
            }
            let counts = try ownershipCounts(connection)
            let report = ConsistencyReport(
                storedVectors: stored, indexedVectors: indexed, orphanVectors: counts.orphans,
                rowsWithoutVector: counts.missing, integrity: counts.integrity, indexProblems: problems)
            return (report, StoreStatistics(collections: statistics, databaseByteCount: 0, pendingChanges: 0))
        } catch let error as VecdError {
            throw error
        } catch {
            throw VecdError(.storage, "checking \(directory.path): \(error)")
        }
    }
}

extension CollectionInfo {
    /// The settings with the collection's row id, as the read-only check walks them.
    fileprivate func withID(_ id: Int64) -> (id: Int64, name: String, info: CollectionInfo) { (id, name, self) }
}

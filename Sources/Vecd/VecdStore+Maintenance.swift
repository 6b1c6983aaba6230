import Foundation
import Synchronization
import VecdIndex
import VecdSQLite
import VecdStorage

extension VecdStore {
    /// Merges each collection's segment files into one with a freshly built graph, dropping deleted and replaced
    /// rows, and optionally vacuums SQLite. Online: searches and writes go on meanwhile (each collection's merge
    /// holds its lock only to snapshot and to swap the new file in); the vacuum holds the store's lock while it runs.
    ///
    /// - Parameters:
    ///   - vacuum: Also run SQLite's `VACUUM` (rewrites the whole database file; blocks writes while it runs).
    ///   - progress: Called before and after each collection.
    public func compact(
        vacuum: Bool = false, progress: @Sendable (MaintenanceProgress) -> Void = { _ in }
    ) throws(VecdError) -> StoreCompactionReport {
        try maintenanceLock.withLock { _ throws(VecdError) in
            let collections = try read { state in
                state.collections.values.sorted { $0.info.name < $1.info.name }
            }
            var report = StoreCompactionReport(collections: [:], vacuumed: vacuum)
            for (number, collection) in collections.enumerated() {
                let name = collection.info.name
                progress(
                    .init(
                        collection: name, step: "compacting", completed: number, total: collections.count,
                        number: number + 1))
                do {
                    // Unflushed rows join the merge, so a compacted collection opens with nothing to re-apply.
                    try collection.storage.flush()
                    if let done = try collection.storage.compact() {
                        report.collections[name] = CollectionCompaction(
                            mergedSegments: done.mergedSegmentCount, keptRows: done.keptRowCount,
                            droppedRows: done.droppedRowCount)
                    }
                } catch {
                    throw VecdError(.storage, "compacting collection \(name): \(error)")
                }
                _ = try read { state in try collection.pruneLog(connection: state.connection) }
                let step =
                    report.collections[name].map {
                        "merged \($0.mergedSegments) segments, kept \($0.keptRows) "
                            + "rows, dropped \($0.droppedRows)"
                    } ?? "nothing to merge"
                progress(
                    .init(
                        collection: name, step: step, completed: number + 1, total: collections.count,
                        number: number + 1))
            }
            if vacuum {
                progress(
                    .init(
                        collection: nil, step: "vacuuming SQLite", completed: collections.count,
                        total: collections.count, number: 0))
                try read { state in try state.connection.run("VACUUM") }
            }
            return report
        }
    }

    /// Rebuilds every collection's index from scratch from the `vectors` rows (REINDEX): new graph, new segment
    /// files, nothing kept from the old ones. Writes wait while a collection is rebuilt; searches of the other
    /// collections go on.
    public func reindex(progress: @Sendable (MaintenanceProgress) -> Void = { _ in })
        throws(VecdError)
    {
        try maintenanceLock.withLock { _ throws(VecdError) in
            let names = try read { state in state.collections.keys.sorted() }
            for (number, name) in names.enumerated() {
                progress(
                    .init(
                        collection: name, step: "rebuilding", completed: number, total: names.count,
                        number: number + 1))
                let count = try read { state -> Int in
                    guard let old = state.collections[name] else { return 0 }
                    try old.storage.close()
                    let rebuilt = try VectorCollection.open(
                        id: old.id, info: old.info, storeDirectory: state.directory,
                        configuration: state.configuration, connection: state.connection,
                        forcedRebuild: "reindex requested")
                    state.collections[name] = rebuilt
                    state.indexFailures[name] = nil
                    return rebuilt.liveCount
                }
                progress(
                    .init(
                        collection: name, step: "rebuilt \(count) vectors", completed: number + 1,
                        total: names.count, number: number + 1))
            }
        }
    }

    /// Counts per collection (stored and indexed vectors, segments, deleted and unflushed rows, file bytes) and
    /// whether an index was rebuilt at open or missed a change since.
    public func stats() throws(VecdError) -> StoreStatistics {
        try read { state in
            let stored = Dictionary(
                uniqueKeysWithValues: try state.connection.query(
                    "SELECT collection_id, count(*) FROM vectors GROUP BY collection_id"
                ) { ($0.int64(0), $0.int(1)) })
            let collections = state.collections.values.sorted { $0.info.name < $1.info.name }.map {
                collection in
                let counts = collection.storage.stats()
                return IndexStatistics(
                    name: collection.info.name, dimension: collection.info.dimension,
                    storageMode: collection.info.storage.rawValue, storedVectors: stored[collection.id] ?? 0,
                    indexedVectors: counts.liveCount, segmentCount: counts.segmentCount,
                    segmentRows: counts.segmentRowCount, deletedRows: counts.segmentDeletedCount,
                    unflushedRows: counts.mutableRowCount,
                    fileByteCount: Self.byteCount(
                        of: VectorCollection.directory(id: collection.id, storeDirectory: state.directory)),
                    rebuildReason: collection.rebuildReason, reindexed: collection.reindexed,
                    indexFailure: state.indexFailures[collection.info.name])
            }
            let database = [Self.databaseFileName, Self.databaseFileName + "-wal"].reduce(0) {
                $0 + Self.byteCount(of: state.directory.appendingPathComponent($1).path)
            }
            let pending = try state.connection.scalarInt("SELECT count(*) FROM vector_changes") ?? 0
            return StoreStatistics(
                collections: collections, databaseByteCount: database, pendingChanges: pending)
        }
    }

    /// Bytes of a file, or of every file under a directory.
    static func byteCount(of path: String) -> Int {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { return 0 }
        guard isDirectory.boolValue else {
            return (try? manager.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        }
        let names = (try? manager.subpathsOfDirectory(atPath: path)) ?? []
        return names.reduce(0) { total, name in
            total + ((try? manager.attributesOfItem(atPath: path + "/" + name)[.size] as? Int) ?? 0)
        }
    }
}

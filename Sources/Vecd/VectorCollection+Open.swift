import Foundation
import VecdIndex
import VecdSQLite
import VecdStorage

/// Opening a collection's index files, bringing them up to date from the `vector_changes` log, and rebuilding them
/// from the `vectors` rows when they cannot be trusted.
extension VectorCollection {
    /// The storage collection's name inside its directory (one per directory).
    static let storageName = "vectors"

    /// `DIR/collections/<id>`: the index files of collection `id`.
    static func directory(id: Int64, storeDirectory: URL) -> String {
        storeDirectory.appendingPathComponent("collections").appendingPathComponent(String(id)).path
    }

    static func storageConfiguration(
        _ info: CollectionInfo, _ configuration: VecdStore.Configuration
    ) -> CollectionConfiguration {
        CollectionConfiguration(
            name: storageName,
            parameters: HNSWParameters(
                dimension: info.dimension, metric: info.metric, storage: info.storage),
            // SQLite is the source of truth and every open re-applies the changes the files may lack, so the index
            // WAL needs no fsync of its own: a write costs SQLite's commit only.
            syncPolicy: .deferred, flushRowCount: configuration.indexFlushRowCount,
            buildThreads: configuration.indexBuildThreads)
    }

    /// A new, empty index for a collection created in the current transaction. Files left under its id by a
    /// deleted collection (a crash between the delete and their removal) are removed first.
    static func create(
        id: Int64, info: CollectionInfo, storeDirectory: URL, configuration: VecdStore.Configuration
    ) throws -> VectorCollection {
        let path = directory(id: id, storeDirectory: storeDirectory)
        try? FileManager.default.removeItem(atPath: path)
        let storage = try VecdStorage.VectorCollection(
            path: path, configuration: storageConfiguration(info, configuration))
        return VectorCollection(
            id: id, info: info, storage: storage, nextSlot: 0, prunedThrough: 0, rebuildReason: nil)
    }

    /// Opens the index of collection `id` and re-applies the logged changes its files do not cover. Files that are
    /// missing, damaged, of a newer format, or cover changes the log no longer holds are removed and the index is
    /// rebuilt from the `vectors` rows, with the reason in ``rebuildReason`` (a store never serves a wrong index).
    /// Another process holding the directory is an error, never a reason to rebuild. `forcedRebuild` skips the files
    /// and rebuilds for that reason (REINDEX).
    static func open(
        id: Int64, info: CollectionInfo, storeDirectory: URL, configuration: VecdStore.Configuration,
        connection: Connection, forcedRebuild: String? = nil
    ) throws -> VectorCollection {
        let path = directory(id: id, storeDirectory: storeDirectory)
        let log = try LogState(collection: id, connection: connection)
        let settings = storageConfiguration(info, configuration)
        var opened: VecdStorage.VectorCollection?
        var reason = forcedRebuild
        var covered: UInt64 = 0
        var openFailure: String?
        if forcedRebuild != nil { try? FileManager.default.removeItem(atPath: path) }
        if forcedRebuild == nil {
            do {
                let storage = try VecdStorage.VectorCollection(path: path, configuration: settings)
                opened = storage
                covered = storage.coveredExternalSequence
                if covered < log.prunedThrough {
                    throw VecdError(
                        .storage,
                        "the index files hold changes through \(covered), but the log was pruned through "
                            + "\(log.prunedThrough) (files restored from an older copy, or recreated)")
                }
                if covered > log.lastSequence {
                    throw VecdError(
                        .storage,
                        "the index files hold changes through \(covered), past the database's last change "
                            + "\(log.lastSequence) (files of another copy of the store)")
                }
                try applyLog(
                    to: storage, collection: id, after: covered, connection: connection, onlyMissing: true,
                    flushes: true)
            } catch let error as StorageError where error.code == .locked {
                throw error
            } catch where VecdError.isStorageUnavailable(error) {
                // A full disk or unwritable files say nothing about the index files: they are kept (rebuilding
                // would need space too), serve what they hold, and take the rest of the log at the next write.
                guard opened != nil else { throw error }
                openFailure = "the index could not take the changes since its last flush: \(error)"
            } catch {
                reason = "\(error)"
                try? opened?.close()
                opened = nil
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        let storage =
            try opened
            ?? rebuild(collection: id, path: path, settings: settings, log: log, connection: connection)
        let collection = VectorCollection(
            id: id, info: info, storage: storage, nextSlot: log.nextSlot,
            prunedThrough: log.prunedThrough,
            // A rebuild asked for is not damage: only the reasons found in the files are reported as such.
            rebuildReason: forcedRebuild == nil ? reason : nil, reindexed: forcedRebuild != nil,
            behindSince: openFailure == nil ? nil : covered, openFailure: openFailure)
        try collection.pruneLog(connection: connection)
        return collection
    }

    /// Builds fresh index files from every `vectors` row of the collection and flushes them, covering the whole log.
    private static func rebuild(
        collection id: Int64, path: String, settings: CollectionConfiguration, log: LogState,
        connection: Connection
    ) throws -> VecdStorage.VectorCollection {
        let storage = try VecdStorage.VectorCollection(path: path, configuration: settings)
        let statement = try connection.prepare(
            "SELECT slot, vector FROM vectors WHERE collection_id = ? ORDER BY slot")
        try statement.bind(id, at: 1)
        var batch: [CollectionWrite] = []
        var vector: [Float] = []
        while try statement.step() {
            vector.removeAll(keepingCapacity: true)
            guard statement.withBlob(1, { VectorBlob.decode($0, into: &vector) }),
                vector.count == settings.parameters.dimension
            else {
                throw VecdError(
                    .storage,
                    "collection \(id): a stored vector is not \(settings.parameters.dimension) floats")
            }
            batch.append(.upsert(id: UInt64(statement.int64(0)), vector: vector))
            if batch.count == 4096 {
                try storage.write(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try storage.write(batch) }
        try storage.noteExternalSequence(log.lastSequence)
        try storage.flush()
        return storage
    }

    /// Applies the logged changes of `collection` after `sequence` to `storage`, each slot to its current state in
    /// `vectors` (an upsert when the row exists, a delete when it is gone). With `onlyMissing` (at open), a slot the
    /// files already hold or lack as they should is skipped: slots are never reused while logged, so a held slot
    /// holds the right vector. `flushes` (at open) writes the result to a segment. Returns the number of writes.
    @discardableResult
    static func applyLog(
        to storage: VecdStorage.VectorCollection, collection: Int64, after sequence: UInt64,
        connection: Connection,
        onlyMissing: Bool, flushes: Bool = false
    ) throws -> Int {
        let statement = try connection.prepare(
            """
            SELECT c.seq, c.slot, v.vector FROM vector_changes c
            LEFT JOIN vectors v ON v.collection_id = c.collection_id AND v.slot = c.slot
            WHERE c.collection_id = ? AND c.seq > ? ORDER BY c.seq
            """)
        try statement.bind([collection, Int64(clamping: sequence)])
        var latest: [Int64: [Float]?] = [:]
        var order: [Int64] = []
        var last = sequence
        while try statement.step() {
            let slot = statement.int64(1)
            var vector: [Float]? = nil
            if !statement.isNull(2) {
                var decoded: [Float] = []
                guard statement.withBlob(2, { VectorBlob.decode($0, into: &decoded) }) else {
                    throw VecdError(
                        .storage, "collection \(collection): the vector of slot \(slot) is damaged")
                }
                vector = decoded
            }
            if latest.updateValue(vector, forKey: slot) == nil { order.append(slot) }
            last = UInt64(statement.int64(0))
        }
        var writes: [CollectionWrite] = []
        for slot in order {
            let id = UInt64(slot)
            switch latest[slot]! {
            case .some(let vector):
                if onlyMissing, try storage.vector(id: id) != nil { continue }
                writes.append(.upsert(id: id, vector: vector))
            case .none:
                if onlyMissing, try storage.vector(id: id) == nil { continue }
                writes.append(.delete(id: id))
            }
        }
        if !writes.isEmpty { try storage.write(writes, externalSequence: last) }
        if last > sequence {
            try storage.noteExternalSequence(last)
            // Flush at open so that the next open starts from here instead of redoing the same changes.
            if flushes { try storage.flush() }
        }
        return writes.count
    }
}

/// What the `vector_changes` log says about one collection.
struct LogState {
    /// Entries at or before this seq were pruned.
    var prunedThrough: UInt64
    /// The last seq ever handed out (any collection); 0 before the first change.
    var lastSequence: UInt64
    /// One past the largest slot any row or logged change of the collection names.
    var nextSlot: Int64

    init(collection id: Int64, connection: Connection) throws {
        prunedThrough = UInt64(
            try connection.scalarInt(
                "SELECT pruned_through FROM vector_index_state WHERE collection_id = ?", [id]) ?? 0)
        lastSequence = UInt64(
            try connection.scalarInt("SELECT seq FROM sqlite_sequence WHERE name = 'vector_changes'") ?? 0
        )
        let largest =
            try connection.scalarInt(
                """
                SELECT max(coalesce((SELECT max(slot) FROM vectors WHERE collection_id = ?1), -1),
                           coalesce((SELECT max(slot) FROM vector_changes WHERE collection_id = ?1), -1))
                """, [id]) ?? -1
        nextSlot = Int64(largest) + 1
    }
}

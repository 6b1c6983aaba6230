import Foundation
import Synchronization
import VecdSQLite
import VecdStorage

extension VecdStore {
    /// Writes a consistent copy of the store to `destination` (a new or empty directory) while it stays open:
    /// `vecd.sqlite` and, per collection, its manifest and the segment and bitmap files it names.
    ///
    /// Consistency: with the store's lock held (writes wait, searches go on), every index is flushed so its files
    /// cover every committed change, SQLite is copied with `VACUUM INTO` (a transactionally consistent, compacted
    /// copy made through SQLite itself, which a file copy of a live WAL-mode database is not), and the index files
    /// the manifests name are copied. Compaction and reindex cannot run meanwhile. The copy opens with nothing to
    /// re-apply and answers the same queries with the same results.
    public func backup(
        to destination: URL, progress: @Sendable (MaintenanceProgress) -> Void = { _ in }
    ) throws(VecdError) {
        try BackupDestination.check(destination.path, dataDirectory: directory)
        try maintenanceLock.withLock { _ throws(VecdError) in
            try Self.prepareEmptyDirectory(destination)
            try read { state in
                let collections = state.collections.values.sorted { $0.info.name < $1.info.name }
                for collection in collections { try collection.storage.flush() }
                for collection in collections { try collection.pruneLog(connection: state.connection) }
                progress(
                    .init(
                        collection: nil, step: "copying SQLite", completed: 0, total: collections.count, number: 0))
                try state.connection.run(
                    "VACUUM INTO ?", [destination.appendingPathComponent(Self.databaseFileName).path])
                for (number, collection) in collections.enumerated() {
                    let source = VectorCollection.directory(id: collection.id, storeDirectory: state.directory)
                    let target = VectorCollection.directory(id: collection.id, storeDirectory: destination)
                    let files = try Self.copyIndexFiles(from: source, to: target)
                    progress(
                        .init(
                            collection: collection.info.name, step: "copied \(files) index files",
                            completed: number + 1, total: collections.count, number: number + 1))
                }
            }
        }
    }

    /// Brings back a copy made by ``backup(to:progress:)``: copies it into `directory` (new or empty), then opens
    /// it and checks it with ``verify()``. Throws `invalidArgument` when `backup` is not a vecd backup or
    /// `directory` holds files, `storage` when the restored copy fails verification.
    public static func restore(from backup: URL, to directory: URL) throws(VecdError) {
        let database = backup.appendingPathComponent(databaseFileName)
        guard FileManager.default.fileExists(atPath: database.path) else {
            throw VecdError(.invalidArgument, "\(backup.path) is not a vecd backup (no \(databaseFileName))")
        }
        try prepareEmptyDirectory(directory)
        do {
            try FileManager.default.copyItem(at: database, to: directory.appendingPathComponent(databaseFileName))
            let indexes = indexRoot(backup)
            if FileManager.default.fileExists(atPath: indexes.path) {
                try FileManager.default.copyItem(at: indexes, to: indexRoot(directory))
            }
        } catch {
            throw VecdError(.storage, "restoring \(backup.path) into \(directory.path): \(error)")
        }
        let report = try VecdStore(directory: directory).verify()
        guard report.isConsistent else {
            throw VecdError(.storage, "the restored store in \(directory.path) fails verification: \(report)")
        }
    }

    /// Creates `directory`, or accepts it when it exists and is empty; anything else is `invalidArgument`.
    static func prepareEmptyDirectory(_ directory: URL) throws(VecdError) {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory.path) {
            let contents = (try? manager.contentsOfDirectory(atPath: directory.path)) ?? ["?"]
            guard contents.isEmpty else {
                throw VecdError(.invalidArgument, "the directory exists and is not empty; give a new or empty one")
            }
            return
        }
        do { try manager.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            // Nearly always the caller's choice of place (no permission, a file in the way): said without the
            // path, which over HTTP is the server's.
            throw VecdError(
                .invalidArgument,
                "cannot create the directory: check that the place exists, is a directory and may be written")
        }
    }

    /// Copies the manifest of `source` and every file it names (not the WAL, which a flush just emptied, nor the
    /// lock); returns the number of files copied.
    private static func copyIndexFiles(from source: String, to target: String) throws -> Int {
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        guard let manifest = try Manifest.load(directory: source) else { return 0 }
        var names = ["MANIFEST"]
        for collection in manifest.collections {
            for segment in collection.segments {
                names.append(segment.fileName)
                if let deletion = segment.deletionFileName { names.append(deletion) }
            }
        }
        for name in names {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: target + "/" + name)
        }
        return names.count
    }
}

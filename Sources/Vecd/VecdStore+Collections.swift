import Foundation
import VecdEmbed
import VecdIndex
import VecdKernels
import VecdSQLite
import VecdStorage

extension VecdStore {
    /// Creates a collection, or returns the existing one when its settings are identical (a `conflict` otherwise).
    /// Names are 1…200 of `A-Z a-z 0-9 _ . : -` and may not start with `_` (the store's own collections).
    @discardableResult
    public func createCollection(_ info: CollectionInfo) throws(VecdError) -> CollectionInfo {
        try Self.checkCollectionName(info.name, reserved: false)
        guard HNSWParameters.dimensionRange.contains(info.dimension) else {
            throw VecdError(.invalidArgument, "dimension must be in 1...16000, got \(info.dimension)")
        }
        return try write { state, changes in try Self.ensureCollection(info, state: state, changes: changes).info }
    }

    /// The settings of every collection, by name.
    public func collections() throws(VecdError) -> [CollectionInfo] {
        try read { state in state.collections.values.map(\.info).sorted { $0.name < $1.name } }
    }

    /// Number of live vectors in the collection's index.
    public func vectorCount(collection name: String) throws(VecdError) -> Int {
        try read { state in try state.collection(name).liveCount }
    }

    /// Deletes a collection with its documents, chunks, jobs and vectors.
    public func deleteCollection(named name: String) throws(VecdError) {
        try Self.checkCollectionName(name, reserved: false)
        let removed = try write { state, _ in
            let collection = try state.collection(name)
            try Self.deleteCollectionRows(collection, connection: state.connection)
            return collection.id
        }
        try dropIndexFiles(of: name, id: removed)
    }

    /// Deletes a collection's row; the cascade takes its documents, chunks, jobs and vectors.
    static func deleteCollectionRows(_ collection: VectorCollection, connection: Connection) throws {
        try connection.run("DELETE FROM collections WHERE id = ?", [collection.id])
        // The cascade logged every row's deletion; the index goes as a whole, so the log entries go too.
        try connection.run("DELETE FROM vector_changes WHERE collection_id = ?", [collection.id])
    }

    /// Closes and removes the index of a collection whose rows a committed transaction deleted.
    func dropIndexFiles(of name: String, id: Int64) throws(VecdError) {
        try read { state in
            if let collection = state.collections.removeValue(forKey: name) { try? collection.storage.close() }
            state.indexFailures[name] = nil
            try? FileManager.default.removeItem(
                atPath: VectorCollection.directory(id: id, storeDirectory: state.directory))
        }
    }

    static func checkCollectionName(_ name: String, reserved: Bool) throws(VecdError) {
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "_.:-".unicodeScalars
                    .contains($0)
        }
        guard (1...200).contains(name.count), allowed else {
            throw VecdError(
                .invalidArgument, "collection names are 1…200 of A-Z a-z 0-9 _ . : -, got \"\(name.prefix(80))\"")
        }
        guard reserved || !name.hasPrefix("_") else {
            throw VecdError(.invalidArgument, "collection names starting with _ belong to the store: \(name)")
        }
    }

    /// The collection `info.name`, created inside the current transaction when missing; an existing one with other
    /// settings is a `conflict` (or a `dimensionMismatch` when only the dimension differs).
    static func ensureCollection(
        _ info: CollectionInfo, state: StoreState, changes: VectorChanges
    ) throws -> VectorCollection {
        if let existing = state.collections[info.name] ?? changes.createdCollection(named: info.name) {
            guard existing.info.dimension == info.dimension else {
                throw VecdError(
                    .dimensionMismatch,
                    "collection \(info.name) holds vectors of \(existing.info.dimension) dimensions, got \(info.dimension)"
                )
            }
            guard existing.info == info else {
                throw VecdError(.conflict, "collection \(info.name) exists with other settings: \(existing.info)")
            }
            return existing
        }
        try state.connection.run(
            "INSERT INTO collections (name, dimension, metric, model_id, storage_mode, created_at) "
                + "VALUES (?, ?, ?, ?, ?, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))",
            [info.name, info.dimension, info.metric.rawValue, info.modelID, info.storage.rawValue])
        let collection = try VectorCollection.create(
            id: state.connection.lastInsertRowID, info: info, storeDirectory: state.directory,
            configuration: state.configuration)
        changes.register(collection)
        return collection
    }

    /// The store's own collection `name` for vectors of `dimension` (memories, knowledge, cache), created on first
    /// use with the embedder's model id when the vectors come from it.
    func ownCollection(
        _ name: String, dimension: Int, modelID: String, state: StoreState, changes: VectorChanges
    ) throws -> VectorCollection {
        if let existing = state.collections[name] ?? changes.createdCollection(named: name) {
            guard existing.info.dimension == dimension else {
                throw VecdError(
                    .dimensionMismatch,
                    "\(name) holds vectors of \(existing.info.dimension) dimensions, got \(dimension)")
            }
            try Self.checkModel(modelID, dimension: dimension, against: existing.info)
            return existing
        }
        // The first vector fixes a store-owned collection's dimension; with an embedder it must be the embedder's,
        // or a stray raw vector would lock every later text out of the collection.
        if let embedder, embedder.dimension != dimension {
            throw VecdError(
                .dimensionMismatch,
                "\(name) takes vectors of the embedder's \(embedder.dimension) dimensions, got \(dimension)")
        }
        return try Self.ensureCollection(
            CollectionInfo(name: name, dimension: dimension, modelID: modelID), state: state, changes: changes)
    }

    /// The model id recorded for vectors that came from `input`.
    func modelID(for input: TextOrVector) -> String {
        if case .text = input { return embedder?.modelID ?? "" }
        return ""
    }
}

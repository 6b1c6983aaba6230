import VecdIndex
import VecdSQLite

/// What the store's lock guards: the connection and the loaded collections.
///
/// `@unchecked Sendable` because it lives inside `VecdStore.state`, a mutex: it is only ever touched by the thread
/// holding that lock, which is what serializes the (non-thread-safe) connection.
final class StoreState: @unchecked Sendable {
    let connection: Connection
    var collections: [String: VectorCollection]

    init(connection: Connection, collections: [String: VectorCollection]) {
        self.connection = connection
        self.collections = collections
    }

    /// The collection called `name`, or a `notFound` error.
    func collection(_ name: String) throws(VecdError) -> VectorCollection {
        guard let collection = collections[name] else { throw VecdError(.notFound, "no collection named \(name)") }
        return collection
    }
}

/// Vector changes made inside one transaction, applied to the indexes only once it commits.
final class VectorChanges {
    private var created: [VectorCollection] = []
    private var pending: [Int64: (collection: VectorCollection, firstSlot: Int, vectors: [Float])] = [:]
    private var deleted: [(VectorCollection, Slot)] = []

    /// Stores `vector` (already checked) in `collection` and returns the row id of the `vectors` row.
    func insert(_ vector: [Float], into collection: VectorCollection, connection: Connection) throws -> Int64 {
        var entry = pending[collection.id] ?? (collection, collection.index.count, [])
        let slot = entry.firstSlot + entry.vectors.count / collection.info.dimension
        try connection.run(
            "INSERT INTO vectors (collection_id, slot, vector) VALUES (?, ?, ?)",
            [collection.id, slot, VectorBlob.encode(vector)])
        entry.vectors += vector
        pending[collection.id] = entry
        return connection.lastInsertRowID
    }

    /// Notes that the vector at `slot` was deleted from SQLite (the row's trigger removes it there).
    func delete(slot: Slot, from collection: VectorCollection) {
        deleted.append((collection, slot))
    }

    /// A collection created earlier in this transaction.
    func createdCollection(named name: String) -> VectorCollection? {
        created.first { $0.info.name == name }
    }

    /// Notes a collection created in this transaction.
    func register(_ collection: VectorCollection) {
        created.append(collection)
    }

    /// Applies everything to the indexes after the commit.
    func apply(to state: StoreState) {
        for collection in created { state.collections[collection.info.name] = collection }
        for (collection, slot) in deleted { try? collection.index.delete(slot) }
        for (_, entry) in pending {
            let first = try? entry.vectors.withUnsafeBufferPointer { try entry.collection.index.add($0) }
            if first.map(Int.init) != entry.firstSlot {
                // Cannot happen while every write goes through this path; rebuilding from SQLite restores the
                // invariant (index slot = stored slot) if it ever does.
                if let rebuilt = try? state.connection.inTransaction({
                    try VectorCollection.load(
                        id: entry.collection.id, info: entry.collection.info,
                        connection: state.connection)
                }) {
                    state.collections[entry.collection.info.name] = rebuilt
                }
            }
        }
    }
}

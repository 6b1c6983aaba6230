import Foundation
import VecdIndex
import VecdSQLite
import VecdStorage

/// What the store's lock guards: the connection and the loaded collections.
///
/// `@unchecked Sendable` because it lives inside `VecdStore.state`, a mutex: it is only ever touched by the thread
/// holding that lock, which is what serializes the (non-thread-safe) connection.
final class StoreState: @unchecked Sendable {
    let connection: Connection
    /// The loaded collections; the catalog also serves readers that do not hold the store's lock.
    let catalog: CollectionCatalog
    var collections: [String: VectorCollection] {
        get { catalog.all }
        set { catalog.all = newValue }
    }
    /// The data directory and settings new collections' index files are made with.
    let directory: URL
    let configuration: VecdStore.Configuration
    /// Collections whose index failed to take a committed change, with the error: they lack it until the store
    /// is reopened (which re-applies it from the log) or reindexed. Search answers stay correct (a hit is always
    /// checked against its row), but may miss the newest rows.
    var indexFailures: [String: String] = [:]

    init(
        connection: Connection, collections: [String: VectorCollection], directory: URL,
        configuration: VecdStore.Configuration
    ) {
        self.connection = connection
        self.catalog = CollectionCatalog(collections)
        self.directory = directory
        self.configuration = configuration
        for collection in collections.values {
            if let failure = collection.openFailure { indexFailures[collection.info.name] = failure }
        }
    }

    /// The collection called `name`, or a `notFound` error.
    func collection(_ name: String) throws(VecdError) -> VectorCollection {
        try catalog.collection(name)
    }

    /// The last `vector_changes` seq handed out (0 before the first).
    func lastChangeSequence() throws -> UInt64 {
        UInt64(try connection.scalarInt("SELECT seq FROM sqlite_sequence WHERE name = 'vector_changes'") ?? 0)
    }

    /// Brings every index up to date with the changes committed after `sequence` (called after each write
    /// transaction commits, under the lock, so indexes take changes in commit order).
    func applyChanges(after sequence: UInt64) {
        let touched: [Int64]
        do {
            touched = try connection.query(
                "SELECT DISTINCT collection_id FROM vector_changes WHERE seq > ?", [Int64(clamping: sequence)]
            ) { $0.int64(0) }
        } catch {
            for name in collections.keys { indexFailures[name] = "reading the change log: \(error)" }
            return
        }
        let touchedIDs = Set(touched)
        for collection in collections.values where touchedIDs.contains(collection.id) || collection.lagsSince != nil {
            // An index that failed to take earlier changes takes them now, from where it fell behind: only then may
            // its watermark move past them (a watermark past a change it lacks would hide that change for good).
            let lagging = collection.lagsSince
            let after = min(lagging ?? sequence, sequence)
            do {
                try VectorCollection.applyLog(
                    to: collection.storage, collection: collection.id, after: after, connection: connection,
                    onlyMissing: lagging != nil)
                try collection.pruneLog(connection: connection)
                collection.markCaughtUp()
                indexFailures[collection.info.name] = nil
            } catch {
                collection.markLagging(since: after)
                indexFailures[collection.info.name] = "\(error)"
            }
        }
    }
}

/// Vector changes made inside one transaction. The `vectors` rows they write are logged in `vector_changes` by
/// trigger; ``StoreState/applyChanges(after:)`` carries that log to the indexes once the transaction commits, so
/// every path that adds or removes a row (cascades included) reaches the index the same way.
final class VectorChanges {
    private(set) var created: [VectorCollection] = []

    /// Stores `vector` (already checked) in `collection` under a new slot and returns the `vectors` row id.
    func insert(_ vector: [Float], into collection: VectorCollection, connection: Connection) throws -> Int64 {
        try connection.run(
            "INSERT INTO vectors (collection_id, slot, vector) VALUES (?, ?, ?)",
            [collection.id, collection.allocateSlot(), VectorBlob.encode(vector)])
        return connection.lastInsertRowID
    }

    /// A collection created earlier in this transaction.
    func createdCollection(named name: String) -> VectorCollection? {
        created.first { $0.info.name == name }
    }

    /// Notes a collection created in this transaction.
    func register(_ collection: VectorCollection) {
        created.append(collection)
    }
}

import Synchronization

/// The loaded collections by name, readable without the store's mutex.
///
/// Writes (create, delete, reindex) change it under the store's mutex, through ``StoreState/collections``; searches
/// look a collection up here, so that they do not queue behind a write transaction just to find their index.
final class CollectionCatalog: Sendable {
    private let byName: Mutex<[String: VectorCollection]>

    init(_ collections: [String: VectorCollection]) {
        byName = Mutex(collections)
    }

    /// Every loaded collection by name.
    var all: [String: VectorCollection] {
        get { byName.withLock { $0 } }
        set { byName.withLock { $0 = newValue } }
    }

    /// The collection called `name`, or a `notFound` error.
    func collection(_ name: String) throws(VecdError) -> VectorCollection {
        guard let collection = byName.withLock({ $0[name] }) else {
            throw VecdError(.notFound, "no collection named \(name)")
        }
        return collection
    }
}

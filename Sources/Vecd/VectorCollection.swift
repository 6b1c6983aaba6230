public import VecdIndex
public import VecdKernels
import VecdSQLite

/// A collection's settings, as stored in the `collections` table.
public struct CollectionInfo: Sendable, Equatable {
    /// Unique name; names starting with `_` are the store's own (memories, knowledge, cache).
    public var name: String
    public var dimension: Int
    public var metric: DistanceMetric
    /// The embedding model whose vectors the collection holds ("" when vectors come raw).
    public var modelID: String
    public var storage: VectorStorageMode

    public init(
        name: String, dimension: Int, metric: DistanceMetric = .cosine, modelID: String = "",
        storage: VectorStorageMode = .float32
    ) {
        self.name = name
        self.dimension = dimension
        self.metric = metric
        self.modelID = modelID
        self.storage = storage
    }
}

/// A collection's HNSW index, built from the `vectors` rows. Slot `s` of the index is the row whose `slot` column
/// is `s`; SQLite is the source of truth, so the index can always be rebuilt from it.
final class VectorCollection: Sendable {
    let id: Int64
    let info: CollectionInfo
    let index: HNSWIndex

    init(id: Int64, info: CollectionInfo, index: HNSWIndex) {
        self.id = id
        self.info = info
        self.index = index
    }

    /// A new, empty index for `info`.
    static func empty(id: Int64, info: CollectionInfo) throws(VecdError) -> VectorCollection {
        do {
            let parameters = HNSWParameters(dimension: info.dimension, metric: info.metric, storage: info.storage)
            return VectorCollection(id: id, info: info, index: try HNSWIndex(parameters: parameters))
        } catch {
            throw VecdError(.invalidArgument, "collection \(info.name): \(error)")
        }
    }

    /// Builds the index of collection `id` from its rows. Slots are first renumbered densely (deleted rows leave
    /// gaps) so that index slot and stored slot agree; the caller runs this inside a transaction.
    static func load(id: Int64, info: CollectionInfo, connection: Connection) throws -> VectorCollection {
        let collection = try empty(id: id, info: info)
        let rows = try connection.query("SELECT id, slot FROM vectors WHERE collection_id = ? ORDER BY slot", [id]) {
            (id: $0.int64(0), slot: $0.int64(1))
        }
        // Ascending order never collides: row i moves to slot i, which only rows before it could have held.
        for (position, row) in rows.enumerated() where row.slot != Int64(position) {
            try connection.run("UPDATE vectors SET slot = ? WHERE id = ?", [position, row.id])
        }
        guard !rows.isEmpty else { return collection }
        var flat: [Float] = []
        flat.reserveCapacity(rows.count * info.dimension)
        let statement = try connection.prepare("SELECT vector FROM vectors WHERE collection_id = ? ORDER BY slot")
        try statement.bind(id, at: 1)
        while try statement.step() {
            let decoded = statement.withBlob(0) { VectorBlob.decode($0, into: &flat) }
            guard decoded, flat.count % info.dimension == 0 else {
                throw VecdError(.storage, "collection \(info.name): a stored vector is not \(info.dimension) floats")
            }
        }
        try flat.withUnsafeBufferPointer { buffer in _ = try collection.index.add(buffer) }
        return collection
    }

    /// The `k` nearest of `allowed` to `vector`, with the candidate list raised to `k` when `efSearch` is smaller;
    /// an index refusal becomes `VecdError(.invalidArgument)`.
    func nearest(_ vector: [Float], k: Int, efSearch: Int, allowed: [Slot]) throws(VecdError) -> SearchResult {
        do {
            return try index.search(
                vector, parameters: SearchParameters(k: k, efSearch: max(efSearch, k)), filter: AllowedSlots(allowed))
        } catch { throw VecdError(.invalidArgument, "search: \(error)") }
    }

    /// The similarity shown to callers (higher is closer): `1 - distance` for cosine, the inner product for dot,
    /// and `-distance` for L2.
    func score(distance: Float) -> Double {
        switch info.metric {
        case .cosine: return 1 - Double(distance)
        case .dot, .l2: return -Double(distance)
        }
    }
}

import Synchronization

/// An ``HNSWIndex`` addressed by caller ids (`UInt64`) instead of slots, with upsert.
///
/// Upserting an existing id stores the new vector in a fresh slot and tombstones the old one, so searches never
/// see both; the old slot's space returns when the collection is compacted (rebuilt from its live slots).
public final class KeyedIndex: Sendable {
    /// The underlying slot index.
    public let index: HNSWIndex
    private let ids = Mutex<IDMap>(IDMap())

    struct IDMap {
        var slotOfID: [UInt64: Slot] = [:]
        var idOfSlot: [UInt64] = []
    }

    public init(parameters: HNSWParameters) throws(IndexError) {
        index = try HNSWIndex(parameters: parameters)
    }

    /// Number of ids present.
    public var count: Int { ids.withLock { $0.slotOfID.count } }

    /// Inserts `vector` under `id`, replacing the vector stored under `id` before, if any.
    public func upsert(id: UInt64, vector: [Float]) throws(IndexError) {
        // The map lock is held across the insert so that two upserts of one id cannot both keep a live slot.
        try ids.withLock { (map) throws(IndexError) in
            let slot = try index.add(vector)
            if let old = map.slotOfID[id] { try index.delete(old) }
            map.slotOfID[id] = slot
            while map.idOfSlot.count <= Int(slot) { map.idOfSlot.append(0) }
            map.idOfSlot[Int(slot)] = id
        }
    }

    /// Removes `id`; returns whether it was present.
    @discardableResult
    public func remove(id: UInt64) throws(IndexError) -> Bool {
        try ids.withLock { (map) throws(IndexError) -> Bool in
            guard let slot = map.slotOfID.removeValue(forKey: id) else { return false }
            try index.delete(slot)
            return true
        }
    }

    /// The `k` nearest ids to `query`, with distances.
    public func search(_ query: [Float], parameters: SearchParameters) throws(IndexError) -> [(id: UInt64, distance: Float)] {
        let result = try index.search(query, parameters: parameters)
        return ids.withLock { map in result.neighbors.map { (map.idOfSlot[Int($0.slot)], $0.distance) } }
    }
}

import Synchronization
import VecdIndex

/// The in-memory part of a collection: the rows written since the last flush, in a growable ``HNSWIndex``, with the
/// caller id of each slot. It becomes a segment file on flush.
final class MutablePart: Sendable {
    let index: HNSWIndex
    /// Caller id of each slot; appended before the slots exist, so a search never meets a slot without its id.
    private let slotIDs = Mutex<[UInt64]>([])

    init(parameters: HNSWParameters) throws(IndexError) {
        index = try HNSWIndex(parameters: parameters)
    }

    /// Adds `vectors` (row-major) under `ids` and returns the first new slot; the others follow it.
    /// Called under the collection's writer lock, so slots are assigned in call order.
    func append(ids: [UInt64], vectors: [Float], threads: Int?) throws(IndexError) -> Slot {
        slotIDs.withLock { $0.append(contentsOf: ids) }
        do {
            return try vectors.withUnsafeBufferPointer { (buffer) throws(IndexError) -> Slot in
                try index.add(buffer, threads: ids.count < 64 ? 1 : threads)
            }
        } catch {
            slotIDs.withLock { $0.removeLast(ids.count) }
            throw error
        }
    }

    /// The caller ids of `neighbors`, with their distances.
    func hits(_ neighbors: [Neighbor]) -> [CollectionHit] {
        slotIDs.withLock { ids in neighbors.map { CollectionHit(id: ids[Int($0.slot)], distance: $0.distance) } }
    }

    /// The id of every slot, in slot order.
    var ids: [UInt64] { slotIDs.withLock { $0 } }
}

/// Marks slots seen during one search. Clearing is O(1): each search gets a new epoch, and the array is zeroed
/// only when the 16-bit epoch wraps around (every 65,535 searches).
struct VisitedSet {
    private var marks: [UInt16] = []
    private var epoch: UInt16 = 0

    /// Starts a new search over `capacity` slots.
    mutating func reset(capacity: Int) {
        if marks.count < capacity {
            marks = [UInt16](repeating: 0, count: max(capacity, marks.count * 2))
            epoch = 0
        }
        if epoch == UInt16.max {
            for i in marks.indices { marks[i] = 0 }
            epoch = 0
        }
        epoch += 1
    }

    /// Marks `slot` and returns whether it was already marked in this search.
    @inline(__always)
    mutating func insert(_ slot: Slot) -> Bool {
        let index = Int(slot)
        if marks[index] == epoch { return false }
        marks[index] = epoch
        return true
    }

    var byteCount: Int { marks.capacity * MemoryLayout<UInt16>.stride }
}

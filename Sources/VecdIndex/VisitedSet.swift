/// Marks slots seen during one search. Clearing is O(1): each search gets a new epoch, and the marks are zeroed
/// only when the 16-bit epoch wraps around (every 65,535 searches).
///
/// The marks live in raw memory owned by this object: the walk tests and sets one mark per link it reads, and an
/// array would add a bounds check and a copy-on-write uniqueness check to each.
final class VisitedSet {
    private var marks: UnsafeMutablePointer<UInt16>
    private var capacity = 0
    private var epoch: UInt16 = 0

    init() { marks = .allocate(capacity: 1) }

    deinit { marks.deallocate() }

    /// Starts a new search over `capacity` slots; slots of the search must stay below it.
    func reset(capacity newCapacity: Int) {
        if capacity < newCapacity {
            let grown = max(newCapacity, capacity * 2)
            marks.deallocate()
            marks = .allocate(capacity: grown)
            marks.initialize(repeating: 0, count: grown)
            capacity = grown
            epoch = 0
        }
        if epoch == UInt16.max {
            marks.update(repeating: 0, count: capacity)
            epoch = 0
        }
        epoch += 1
    }

    /// The marks of the current search, for the walk to use without touching this object again.
    var current: VisitedMarks { VisitedMarks(marks: marks, epoch: epoch) }

    var byteCount: Int { capacity * MemoryLayout<UInt16>.stride }
}

/// The marks of one search: a slot is visited when its mark equals the search's epoch.
struct VisitedMarks {
    let marks: UnsafeMutablePointer<UInt16>
    let epoch: UInt16

    /// Marks `slot` and returns whether it was unmarked in this search. `slot` must be below the capacity given to
    /// ``VisitedSet/reset(capacity:)`` (the walk checks links against the slot count first).
    @inline(__always)
    func insert(_ slot: Slot) -> Bool {
        let mark = marks + Int(slot)
        if mark.pointee == epoch { return false }
        mark.pointee = epoch
        return true
    }
}

/// A binary heap of (distance, slot) pairs in caller-reserved storage, so a warm search allocates nothing.
///
/// `Order.nearestFirst` pops the smallest distance (the candidate queue); `Order.farthestFirst` pops the largest
/// (the bounded result set, whose top is the worst result kept).
struct CandidateHeap {
    enum Order { case nearestFirst, farthestFirst }

    private(set) var storage: [Neighbor]
    let order: Order

    init(order: Order, capacity: Int) {
        self.order = order
        storage = []
        storage.reserveCapacity(capacity)
    }

    var count: Int { storage.count }
    var isEmpty: Bool { storage.isEmpty }
    var top: Neighbor? { storage.first }

    mutating func removeAll() { storage.removeAll(keepingCapacity: true) }

    mutating func reserve(_ capacity: Int) {
        if storage.capacity < capacity { storage.reserveCapacity(capacity) }
    }

    /// Whether `a` belongs nearer the top than `b`; static, so a sift can call it while it holds `storage`.
    @inline(__always)
    private static func before(_ a: Neighbor, _ b: Neighbor, nearestFirst: Bool) -> Bool {
        nearestFirst ? a.distance < b.distance : a.distance > b.distance
    }

    /// Sifts with a hole instead of swaps (one store per level), through an unsafe buffer: the walk pushes once per
    /// measured neighbour, and array subscripts would add bounds and uniqueness checks to every step.
    mutating func push(_ element: Neighbor) {
        storage.append(element)
        let nearestFirst = order == .nearestFirst
        storage.withUnsafeMutableBufferPointer { heap in
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.before(element, heap[parent], nearestFirst: nearestFirst) else { break }
                heap[child] = heap[parent]
                child = parent
            }
            heap[child] = element
        }
    }

    @discardableResult
    mutating func pop() -> Neighbor? {
        guard let first = storage.first else { return nil }
        let last = storage.removeLast()
        if !storage.isEmpty { siftDownFromTop(last) }
        return first
    }

    /// Replaces the top with `element` (one sift instead of a pop and a push).
    mutating func replaceTop(_ element: Neighbor) {
        siftDownFromTop(element)
    }

    /// Puts `element` at the top, in place of the current top, and moves it down to where it belongs.
    private mutating func siftDownFromTop(_ element: Neighbor) {
        let nearestFirst = order == .nearestFirst
        storage.withUnsafeMutableBufferPointer { heap in
            let count = heap.count
            var parent = 0
            while true {
                let left = 2 * parent + 1
                if left >= count { break }
                var best = left
                let right = left + 1
                if right < count && Self.before(heap[right], heap[left], nearestFirst: nearestFirst) { best = right }
                guard Self.before(heap[best], element, nearestFirst: nearestFirst) else { break }
                heap[parent] = heap[best]
                parent = best
            }
            heap[parent] = element
        }
    }

    /// Moves the elements out in ascending distance order, appending them to `output`, and empties the heap.
    /// Pops rather than sorts, so no temporary buffer is allocated.
    mutating func drainAscending(into output: inout [Neighbor]) {
        let start = output.count
        let n = storage.count
        for _ in 0..<n { output.append(Neighbor(slot: 0, distance: 0)) }
        switch order {
        case .nearestFirst:
            for i in 0..<n { output[start + i] = pop()! }
        case .farthestFirst:
            for i in stride(from: n - 1, through: 0, by: -1) { output[start + i] = pop()! }
        }
    }
}

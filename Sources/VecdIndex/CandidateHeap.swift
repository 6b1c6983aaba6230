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

    @inline(__always)
    private func before(_ a: Neighbor, _ b: Neighbor) -> Bool {
        order == .nearestFirst ? a.distance < b.distance : a.distance > b.distance
    }

    mutating func push(_ element: Neighbor) {
        storage.append(element)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard before(storage[child], storage[parent]) else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func pop() -> Neighbor? {
        guard let first = storage.first else { return nil }
        let last = storage.removeLast()
        if !storage.isEmpty {
            storage[0] = last
            siftDown(from: 0)
        }
        return first
    }

    /// Replaces the top with `element` (one sift instead of a pop and a push).
    mutating func replaceTop(_ element: Neighbor) {
        storage[0] = element
        siftDown(from: 0)
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        let count = storage.count
        while true {
            let left = 2 * parent + 1
            if left >= count { return }
            var best = left
            let right = left + 1
            if right < count && before(storage[right], storage[left]) { best = right }
            guard before(storage[best], storage[parent]) else { return }
            storage.swapAt(best, parent)
            parent = best
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

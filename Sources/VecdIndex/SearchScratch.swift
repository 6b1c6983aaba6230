import Synchronization

/// Everything one search needs besides the index: the visited set, both heaps, a neighbour-list copy and the
/// prepared query. Checked out of a ``ScratchPool`` and returned, so a warm query allocates nothing.
/// Sendable by hand-over: a scratch is used by exactly one thread between checkOut and checkIn.
final class SearchScratch: @unchecked Sendable {
    let visited = VisitedSet()
    var candidates = CandidateHeap(order: .nearestFirst, capacity: 1024)
    var results = CandidateHeap(order: .farthestFirst, capacity: 1024)
    var sorted: [Neighbor] = []
    /// The neighbours of the node being expanded that the walk has not seen yet. Raw storage: the hot loop writes
    /// and reads it once per link, and an array would add a bounds and a uniqueness check to each access.
    private(set) var neighborBuffer: UnsafeMutablePointer<Slot>
    private var neighborCapacity = 0
    /// Build-time buffers: neighbour selection output and the candidates of a re-pruned list.
    var selected: [Neighbor] = []
    var pruneCandidates: [Neighbor] = []
    var pruneSelected: [Neighbor] = []
    var query: [Float] = []
    var scaledQuery: [Float] = []
    /// One Float32 row read from a ``RerankRowSource`` (low-RAM re-rank and exact scan).
    var sourceRow: [Float] = []
    var queryConstant: Float = 0
    var distanceCount = 0
    var hopCount = 0

    init() {
        sorted.reserveCapacity(1024)
        neighborBuffer = .allocate(capacity: 1)
    }

    deinit { neighborBuffer.deallocate() }

    func prepare(capacity: Int, dimension: Int, ef: Int, degree: Int) {
        visited.reset(capacity: capacity)
        candidates.removeAll()
        results.removeAll()
        candidates.reserve(ef * 2 + degree)
        results.reserve(ef + 1)
        sorted.removeAll(keepingCapacity: true)
        if sorted.capacity < ef { sorted.reserveCapacity(ef) }
        if neighborCapacity < degree {
            neighborBuffer.deallocate()
            neighborBuffer = .allocate(capacity: degree)
            neighborCapacity = degree
        }
        if query.count != dimension {
            query = [Float](repeating: 0, count: dimension)
            scaledQuery = [Float](repeating: 0, count: dimension)
            sourceRow = [Float](repeating: 0, count: dimension)
        }
        distanceCount = 0
        hopCount = 0
    }
}

/// A stack of reusable ``SearchScratch`` objects shared by all threads.
final class ScratchPool: Sendable {
    private let free = Mutex<[SearchScratch]>([])

    func checkOut() -> SearchScratch {
        free.withLock { $0.popLast() } ?? SearchScratch()
    }

    func checkIn(_ scratch: SearchScratch) {
        free.withLock { $0.append(scratch) }
    }
}

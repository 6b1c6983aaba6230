import Synchronization
import VecdKernels

/// An exact index: every search measures every live vector with the same kernels as ``HNSWIndex``.
///
/// The right choice for small collections (a few thousand vectors, where a scan costs less than a walk) and the
/// ground truth for recall measurements.
public final class FlatIndex: @unchecked Sendable {
    public let dimension: Int
    public let metric: DistanceMetric
    private let store: VectorStore
    private var tombstones = Set<Slot>()
    private var slotCount = 0
    private let lock = ReadWriteLock()

    public init(dimension: Int, metric: DistanceMetric) throws(IndexError) {
        guard HNSWParameters.dimensionRange.contains(dimension) else {
            throw .parameterOutOfRange(name: "dimension", value: dimension, range: HNSWParameters.dimensionRange)
        }
        self.dimension = dimension
        self.metric = metric
        store = VectorStore(dimension: dimension, metric: metric, mode: .float32)
    }

    /// Number of live vectors.
    public var liveCount: Int { lock.withReadLock { slotCount - tombstones.count } }

    /// Adds one vector and returns its slot.
    @discardableResult
    public func add(_ vector: [Float]) throws(IndexError) -> Slot {
        try vector.withUnsafeBufferPointer { (buffer) throws(IndexError) -> Slot in
            do throws(VectorValidationError) { try validateVector(buffer, dimension: dimension) } catch { throw .invalidVector(error) }
            return lock.withWriteLock {
                let slot = Slot(slotCount)
                store.reserve(rows: slotCount + 1)
                store.write(buffer.baseAddress!, to: slot)
                slotCount += 1
                return slot
            }
        }
    }

    /// Marks `slot` deleted.
    public func delete(_ slot: Slot) throws(IndexError) {
        try lock.withWriteLock { () throws(IndexError) in
            guard Int(slot) < slotCount else { throw .unknownSlot(slot) }
            tombstones.insert(slot)
        }
    }

    /// The `k` nearest live slots that `filter` accepts, exactly.
    public func search<F: SlotFilter>(
        _ query: [Float], k: Int, filter: F = AcceptAll()
    ) throws(IndexError) -> [Neighbor] {
        guard SearchParameters.kRange.contains(k) else {
            throw .parameterOutOfRange(name: "k", value: k, range: SearchParameters.kRange)
        }
        return try query.withUnsafeBufferPointer { (buffer) throws(IndexError) -> [Neighbor] in
            do throws(VectorValidationError) { try validateVector(buffer, dimension: dimension) } catch { throw .invalidVector(error) }
            var prepared = Array(buffer)
            if metric == .cosine { _ = prepared.withUnsafeMutableBufferPointer { normalize($0.baseAddress!, count: dimension) } }
            return lock.withReadLock {
                var heap = CandidateHeap(order: .farthestFirst, capacity: k + 1)
                prepared.withUnsafeBufferPointer { q in
                    let distance = Float32Walk(store: store, query: q.baseAddress!)
                    for slot in 0..<slotCount {
                        let s = Slot(slot)
                        guard !tombstones.contains(s), filter.contains(s) else { continue }
                        let d = distance(s)
                        if heap.count < k { heap.push(Neighbor(slot: s, distance: d)) }
                        else if d < heap.top!.distance { heap.replaceTop(Neighbor(slot: s, distance: d)) }
                    }
                }
                var out: [Neighbor] = []
                heap.drainAscending(into: &out)
                return out.map { Neighbor(slot: $0.slot, distance: store.reported($0.distance)) }
            }
        }
    }
}

import Synchronization
import VecdKernels

/// A hierarchical navigable small-world graph (Malkov & Yashunin, 2018) over dense slots.
///
/// Concurrency: searches share a readers–writer lock; deletes and the storing of new vectors take it exclusively.
/// A large batch then links its rows under the shared lock, beside searches, with each node's link list guarded by a
/// striped mutex (see `HNSWIndex+ConcurrentLinking.swift`). Per-query state lives in pooled scratch objects, never on
/// the index.
///
/// Memory layout (what the storage layer maps from disk without copying): Float32 rows of `dimension` floats;
/// ground-layer link records of `1 + 2m` UInt32 (count, then neighbours); one level byte per slot; and, for the few
/// nodes above the ground layer, a record of `1 + m` UInt32 per upper level.
public final class HNSWIndex: @unchecked Sendable {
    /// The settings the index was built with.
    public let parameters: HNSWParameters

    let store: VectorStore
    let groundLinks: RowBuffer
    let levels: RowBuffer
    /// Per slot, the index of its first record in `upperArena` (meaningful only when its level is above 0).
    let upperOffsets: RowBuffer
    /// Upper-level link records, `1 + m` UInt32 each: for each slot with level > 0, in slot order, its records for
    /// levels 1…level — the layout of a segment file's upper-links block.
    let upperArena: RowBuffer
    var upperRecordCount = 0
    /// Per slot, 1 + the head it was folded behind, or 0 (see `HNSWIndex+Twins.swift`); used only by inserts.
    let twinHeads = RowBuffer(rowByteCount: 4)
    var insertsSinceRepair = 0
    var tombstones: [UInt64] = []
    var deletedCount = 0
    var slotCount = 0

    let lock = ReadWriteLock()
    let linkLocks = StripedLocks()
    /// Held shared by batches linking under the read lock, exclusively by readers that need a still graph.
    let linkPhase = ReadWriteLock()
    /// Batches linking under the read lock; while above zero, searches read link lists under their stripe locks.
    let linkingBatchCount = Atomic<Int>(0)
    let entry = Mutex<EntryPoint>(EntryPoint(slot: 0, level: -1))
    let scratchPool = ScratchPool()
    let levelMultiplier: Double

    /// The top of the graph; `level == -1` while the index is empty.
    struct EntryPoint {
        var slot: Slot
        var level: Int
    }

    static let maxLevel = 15
    static let maxSlotCount = Int(UInt32.max) - 1

    /// Creates an empty index, or throws when a parameter is out of range.
    public convenience init(parameters: HNSWParameters) throws(IndexError) {
        try parameters.validate()
        self.init(
            validated: parameters,
            store: VectorStore(dimension: parameters.dimension, metric: parameters.metric, mode: parameters.storage),
            groundLinks: RowBuffer(rowByteCount: (1 + parameters.groundLayerDegree) * 4),
            levels: RowBuffer(rowByteCount: 1),
            upperArena: RowBuffer(rowByteCount: (1 + parameters.m) * 4))
    }

    init(
        validated parameters: HNSWParameters, store: VectorStore, groundLinks: RowBuffer, levels: RowBuffer,
        upperArena: RowBuffer
    ) {
        self.parameters = parameters
        self.store = store
        self.groundLinks = groundLinks
        self.levels = levels
        self.upperArena = upperArena
        upperOffsets = RowBuffer(rowByteCount: 4)
        // mL = 1/ln(M) gives each level 1/M of the nodes of the level below (the paper's recommended choice).
        levelMultiplier = 1 / log(Double(parameters.m))
    }

    /// Number of slots assigned, deleted ones included.
    public var count: Int { lock.withReadLock { slotCount } }

    /// Number of slots that searches can return.
    public var liveCount: Int { lock.withReadLock { slotCount - deletedCount } }

    /// Bytes the index has allocated: vectors, links, levels, tombstones and search scratch.
    public var memoryByteCount: Int {
        lock.withReadLock {
            store.byteCount + groundLinks.byteCount + levels.byteCount + upperOffsets.byteCount
                + upperArena.byteCount + twinHeads.byteCount + tombstones.capacity * 8 + linkLocks.byteCount
        }
    }

    /// Whether `slot` was deleted.
    public func isDeleted(_ slot: Slot) -> Bool {
        lock.withReadLock { isTombstoned(slot) }
    }

    /// A copy of the Float32 vector stored at `slot` (unit length under cosine).
    public func vector(at slot: Slot) throws(IndexError) -> [Float] {
        try lock.withReadLock { () throws(IndexError) -> [Float] in
            guard Int(slot) < slotCount else { throw .unknownSlot(slot) }
            guard let copy = store.copyVector(slot) else {
                throw .invalidImage("the Float32 row of slot \(slot) could not be read from its storage")
            }
            return copy
        }
    }

    // MARK: - Layout accessors

    @inline(__always)
    func level(of slot: Slot) -> UInt8 {
        levels.row(Int(slot)).load(as: UInt8.self)
    }

    /// The link record of `slot` on `level`: `[count, n0, n1, …]`.
    @inline(__always)
    func linkRecord(_ slot: Slot, level: Int) -> UnsafeMutablePointer<UInt32> {
        if level == 0 { return groundLinks.row(Int(slot)).assumingMemoryBound(to: UInt32.self) }
        let first = Int(upperOffsets.row(Int(slot)).load(as: UInt32.self))
        return upperArena.row(first + level - 1).assumingMemoryBound(to: UInt32.self)
    }

    @inline(__always)
    func maxDegree(level: Int) -> Int { level == 0 ? parameters.groundLayerDegree : parameters.m }

    @inline(__always)
    func isTombstoned(_ slot: Slot) -> Bool {
        let word = Int(slot) >> 6
        return word < tombstones.count && tombstones[word] & (1 << (UInt64(slot) & 63)) != 0
    }

    /// The level of a new slot: `floor(-ln(u) · mL)` with `u` drawn from a hash of the seed and slot, so levels do not
    /// depend on thread timing.
    func randomLevel(for slot: Slot) -> Int {
        var x = parameters.seed &+ UInt64(slot) &* 0x9E37_79B9_7F4A_7C15
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        let uniform = (Double(x >> 11) + 1) / Double(1 << 53)
        return min(Int(-log(uniform) * levelMultiplier), Self.maxLevel)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

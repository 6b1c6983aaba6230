/// Decides which slots a filtered search may return. The walk still passes through rejected slots, so the graph
/// stays connected; only results are filtered (during traversal, never after it).
public protocol SlotFilter {
    /// Whether `slot` may be returned.
    func contains(_ slot: Slot) -> Bool
    /// The slots that pass, when the filter knows them; enables the exact-scan plan.
    var allowedSlots: [Slot]? { get }
}

/// The filter of an unfiltered search.
public struct AcceptAll: SlotFilter {
    public init() {}
    @inline(__always) public func contains(_ slot: Slot) -> Bool { true }
    public var allowedSlots: [Slot]? { nil }
}

/// An explicit set of allowed slots, as a bitmap (for the walk) plus the sorted list (for an exact scan).
public struct AllowedSlots: SlotFilter, Sendable {
    private var bits: [UInt64]
    public private(set) var allowedSlots: [Slot]?

    /// Allows exactly `slots` (duplicates are ignored).
    public init(_ slots: some Sequence<Slot>) {
        var list = Array(slots)
        list.sort()
        var unique: [Slot] = []
        unique.reserveCapacity(list.count)
        for slot in list where unique.last != slot { unique.append(slot) }
        let maxSlot = unique.last.map { Int($0) } ?? -1
        bits = [UInt64](repeating: 0, count: (maxSlot + 64) / 64)
        for slot in unique { bits[Int(slot) >> 6] |= 1 << (UInt64(slot) & 63) }
        allowedSlots = unique
    }

    @inline(__always)
    public func contains(_ slot: Slot) -> Bool {
        let word = Int(slot) >> 6
        return word < bits.count && bits[word] & (1 << (UInt64(slot) & 63)) != 0
    }

    /// Number of allowed slots.
    public var count: Int { allowedSlots?.count ?? 0 }
}

/// A filter given as a predicate; its selectivity is unknown, so it always uses the filtered walk.
public struct PredicateFilter: SlotFilter {
    private let predicate: (Slot) -> Bool
    public init(_ predicate: @escaping (Slot) -> Bool) { self.predicate = predicate }
    public func contains(_ slot: Slot) -> Bool { predicate(slot) }
    public var allowedSlots: [Slot]? { nil }
}

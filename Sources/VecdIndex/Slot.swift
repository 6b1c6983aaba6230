/// A dense position in an index, `0..<count`. Indexes speak only slots; the layers above map their own ids to them.
public typealias Slot = UInt32

/// One search hit: a slot and its distance to the query under the index's metric (smaller is closer).
public struct Neighbor: Sendable, Equatable {
    public var slot: Slot
    public var distance: Float

    public init(slot: Slot, distance: Float) {
        self.slot = slot
        self.distance = distance
    }
}

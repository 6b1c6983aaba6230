/// Copies of one vector share one place in the graph.
///
/// The first copy of a value is linked like any other node: its *head*. Every later copy (a *twin*: equal to the head
/// within float rounding) is folded behind it instead of being linked on its own: the head's first ground-layer link
/// points at the newest twin, each twin's only link points at the next older one, and nothing else links to a twin.
/// A walk that reaches the head reaches the twins through that chain, at the head's distance; the rest of the graph
/// sees one node per value, so copies no longer crowd the candidate lists of inserts or the link lists of their
/// neighbours (what made a unique row among boilerplate copies unreachable). Deletes stay tombstones and the walk
/// still passes through a deleted head or twin, so deleting some copies keeps the others findable.
///
/// The chain is made of ordinary links, so a segment image stores it without a format change and a mapped index walks
/// it as it walks any list. ``twinHeads`` (each twin's head, in memory only) is needed only while inserting, and a
/// mapped index refuses inserts. See docs/index.md, "Duplicate vectors".
extension HNSWIndex {
    /// The head that `slot` was folded behind, or nil for a head or an ordinary node.
    @inline(__always)
    func head(of slot: Slot) -> Slot? {
        guard Int(slot) < twinHeads.capacity else { return nil }
        let stored = twinHeads.row(Int(slot)).load(as: UInt32.self)
        return stored == 0 ? nil : stored - 1
    }

    /// Whether `head`'s first ground link (`first`) is the start of its chain of twins.
    @inline(__always)
    func isChainLink(from head: Slot, to first: Slot) -> Bool { self.head(of: first) == head }

    /// Folds `slot` behind the head of `twin` (a node the insert found equal to it): `slot` becomes the head's first
    /// ground link and links to the twin that was first before it. Writes the head's list under its stripe lock and
    /// `slot`'s list before publishing it, so no reader sees a half-linked twin.
    func fold(_ slot: Slot, behind twin: Slot, locked: Bool) {
        let head = self.head(of: twin) ?? twin
        twinHeads.row(Int(slot)).storeBytes(of: head + 1, as: UInt32.self)
        if locked { linkLocks.lock(head) }
        defer { if locked { linkLocks.unlock(head) } }
        let record = linkRecord(head, level: 0)
        let own = linkRecord(slot, level: 0)
        var count = Int(record[0])
        if count > 0 && isChainLink(from: head, to: record[1]) {
            own[1] = record[1]
            own[0] = 1
            record[1] = slot
            return
        }
        own[0] = 0
        if count >= parameters.groundLayerDegree {
            // The head's first twin needs a place in a full list: give up its farthest link. A node that loses its
            // last incoming link this way is relinked by the connectivity repair.
            var farthest = 0
            var farthestDistance = -Float.infinity
            for i in 0..<count {
                let d = store.distance(head, record[1 + i])
                if d > farthestDistance {
                    farthestDistance = d
                    farthest = i
                }
            }
            for i in farthest..<(count - 1) { record[1 + i] = record[2 + i] }
            count -= 1
        }
        for i in stride(from: count, to: 0, by: -1) { record[1 + i] = record[i] }
        record[1] = slot
        record[0] = UInt32(count + 1)
    }
}

/// The candidates an insert may link to: every node but folded twins. A head's chain holds copies at the head's
/// distance; admitted, they would fill the insert's `efConstruction` list with one value and crowd out the heads of
/// every other direction. The walk still passes through them, as through any rejected slot.
struct HeadsOnly: SlotFilter {
    let twinHeads: RowBuffer

    @inline(__always)
    func contains(_ slot: Slot) -> Bool {
        Int(slot) >= twinHeads.capacity || twinHeads.row(Int(slot)).load(as: UInt32.self) == 0
    }

    var allowedSlots: [Slot]? { nil }
}

extension HNSWIndex {
    /// Greedy descent with a candidate list of one (the paper's Algorithm 2 with ef = 1), used on upper layers.
    func greedyClosest<D: WalkDistance>(
        from start: Neighbor, level: Int, distance: D, locked: Bool, scratch: SearchScratch
    ) -> Neighbor {
        var best = start
        var changed = true
        while changed {
            changed = false
            let count = copyLinks(of: best.slot, level: level, locked: locked, into: scratch)
            for i in 0..<count {
                let candidate = scratch.neighborCopy[i]
                guard Int(candidate) < slotCount else { continue }
                let d = distance(candidate)
                scratch.distanceCount += 1
                if d < best.distance {
                    best = Neighbor(slot: candidate, distance: d)
                    changed = true
                }
            }
            scratch.hopCount += 1
        }
        return best
    }

    /// SEARCH-LAYER (the paper's Algorithm 2): best-first expansion from `entry` keeping the `ef` nearest accepted
    /// slots in `scratch.results`. Rejected slots are still expanded, so the walk crosses them to reach accepted ones.
    ///
    /// Returns `false` when the walk gave up under `budget` (see ``WalkBudget``).
    @discardableResult
    func searchLayer<D: WalkDistance, F: SlotFilter>(
        entry: Neighbor, level: Int, ef: Int, distance: D, filter: F, skipTombstones: Bool,
        locked: Bool, budget: WalkBudget = .unlimited, scratch: SearchScratch
    ) -> Bool {
        var acceptedCount = 0
        scratch.candidates.removeAll()
        scratch.results.removeAll()
        _ = scratch.visited.insert(entry.slot)
        scratch.candidates.push(entry)
        if accepts(entry.slot, filter: filter, skipTombstones: skipTombstones) { scratch.results.push(entry) }
        var worstKept: Float = scratch.results.count >= ef ? entry.distance : .infinity

        while let current = scratch.candidates.pop() {
            if current.distance > worstKept && scratch.results.count >= ef { break }
            scratch.hopCount += 1
            let linked = copyLinks(of: current.slot, level: level, locked: locked, into: scratch)
            // First keep the unvisited neighbours and prefetch their rows, so their loads overlap.
            var count = 0
            for i in 0..<linked {
                let neighbor = scratch.neighborCopy[i]
                // A link past the end can only come from a damaged mapped segment; skip it rather than crash.
                guard Int(neighbor) < slotCount, scratch.visited.insert(neighbor) else { continue }
                distance.prefetch(neighbor)
                scratch.neighborCopy[count] = neighbor
                count += 1
            }
            for i in 0..<count {
                let neighbor = scratch.neighborCopy[i]
                let d = distance(neighbor)
                scratch.distanceCount += 1
                guard scratch.results.count < ef || d < worstKept else { continue }
                scratch.candidates.push(Neighbor(slot: neighbor, distance: d))
                guard accepts(neighbor, filter: filter, skipTombstones: skipTombstones) else { continue }
                acceptedCount += 1
                if scratch.results.count < ef {
                    scratch.results.push(Neighbor(slot: neighbor, distance: d))
                } else {
                    scratch.results.replaceTop(Neighbor(slot: neighbor, distance: d))
                }
                if scratch.results.count >= ef { worstKept = scratch.results.top!.distance }
            }
            if budget.exhausted(distanceCount: scratch.distanceCount, acceptedCount: acceptedCount) { return false }
        }
        return true
    }

    @inline(__always)
    func accepts<F: SlotFilter>(_ slot: Slot, filter: F, skipTombstones: Bool) -> Bool {
        (!skipTombstones || !isTombstoned(slot)) && filter.contains(slot)
    }

    /// Copies the neighbours of `slot` on `level` into `scratch.neighborCopy`; under a parallel build the copy is
    /// taken under the node's stripe lock, because another thread may be rewriting the list.
    @inline(__always)
    func copyLinks(of slot: Slot, level: Int, locked: Bool, into scratch: SearchScratch) -> Int {
        let record = linkRecord(slot, level: level)
        if locked { linkLocks.lock(slot) }
        defer { if locked { linkLocks.unlock(slot) } }
        let count = min(Int(record[0]), maxDegree(level: level))
        scratch.neighborCopy.withUnsafeMutableBufferPointer { buffer in
            for i in 0..<count { buffer[i] = record[1 + i] }
        }
        return count
    }
}

/// When a filtered walk should give up and leave the answer to the exact scan.
struct WalkBudget {
    /// Give up past this many distances (the exact scan's cost: beyond it the walk cannot win).
    var maxDistances: Int
    /// After this many distances, give up if fewer than `minimumAcceptRate` of the pushed candidates passed the
    /// filter: the allowed rows lie away from the query (a correlated filter), and the walk would cross the whole
    /// region between them.
    var probeDistances: Int
    var minimumAcceptRate: Double

    static let unlimited = WalkBudget(maxDistances: .max, probeDistances: .max, minimumAcceptRate: 0)

    @inline(__always)
    func exhausted(distanceCount: Int, acceptedCount: Int) -> Bool {
        if distanceCount > maxDistances { return true }
        return distanceCount > probeDistances && Double(acceptedCount) < minimumAcceptRate * Double(distanceCount)
    }
}

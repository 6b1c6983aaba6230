import CVecdPlatform
extension HNSWIndex {
    /// Greedy descent with a candidate list of one (the paper's Algorithm 2 with ef = 1), used on upper layers.
    func greedyClosest<D: WalkDistance>(
        from start: Neighbor, level: Int, distance: D, locked: Bool, scratch: SearchScratch
    ) -> Neighbor {
        let links = scratch.neighborBuffer
        var best = start
        var changed = true
        while changed {
            changed = false
            let count = copyLinks(of: best.slot, level: level, locked: locked, into: links)
            for i in 0..<count {
                let candidate = links[i]
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
        // The hot loop works on locals moved out of the scratch object: every access to a class's stored property
        // pays a dynamic exclusivity check, a measurable cost at thousands of heap operations per query.
        var candidates = CandidateHeap(order: .nearestFirst, capacity: 0)
        var results = CandidateHeap(order: .farthestFirst, capacity: 0)
        let visited = scratch.visited.current
        swap(&candidates, &scratch.candidates)
        swap(&results, &scratch.results)
        var distanceCount = 0
        var hopCount = 0
        defer {
            swap(&candidates, &scratch.candidates)
            swap(&results, &scratch.results)
            scratch.distanceCount += distanceCount
            scratch.hopCount += hopCount
        }
        let spentBefore = scratch.distanceCount
        var acceptedCount = 0
        candidates.removeAll()
        results.removeAll()
        _ = visited.insert(entry.slot)
        candidates.push(entry)
        if accepts(entry.slot, filter: filter, skipTombstones: skipTombstones) { results.push(entry) }
        var worstKept: Float = results.count >= ef ? entry.distance : .infinity
        let slotLimit = slotCount
        let degreeLimit = maxDegree(level: level)
        let fresh = scratch.neighborBuffer

        while let current = candidates.pop() {
            if current.distance > worstKept && results.count >= ef { break }
            hopCount += 1
            // Keep the neighbours not seen yet, reading the list in place (under its stripe lock while a build may
            // rewrite it) instead of copying it first.
            let record = linkRecord(current.slot, level: level)
            if locked { linkLocks.lock(current.slot) }
            let linked = min(Int(record[0]), degreeLimit)
            var count = 0
            for i in 0..<linked {
                let neighbor = record[1 + i]
                // A link past the end can only come from a damaged mapped segment; skip it rather than crash.
                guard Int(neighbor) < slotLimit, visited.insert(neighbor) else { continue }
                fresh[count] = neighbor
                count += 1
            }
            if locked { linkLocks.unlock(current.slot) }
            if count > 0 { distance.prefetch(fresh[0]) }
            for i in 0..<count {
                let neighbor = fresh[i]
                // The next row loads while this one is measured (one ahead: more rows in flight evict each other).
                if i + 1 < count { distance.prefetch(fresh[i + 1]) }
                let d = distance(neighbor)
                distanceCount += 1
                guard results.count < ef || d < worstKept else { continue }
                candidates.push(Neighbor(slot: neighbor, distance: d))
                guard accepts(neighbor, filter: filter, skipTombstones: skipTombstones) else { continue }
                acceptedCount += 1
                if results.count < ef {
                    results.push(Neighbor(slot: neighbor, distance: d))
                } else {
                    results.replaceTop(Neighbor(slot: neighbor, distance: d))
                }
                if results.count >= ef { worstKept = results.top!.distance }
            }
            // The next node to expand is the nearest candidate: start loading its link list now.
            if let next = candidates.top { vecd_prefetch(linkRecord(next.slot, level: level)) }
            if budget.exhausted(distanceCount: spentBefore + distanceCount, acceptedCount: acceptedCount) { return false }
        }
        return true
    }

    @inline(__always)
    func accepts<F: SlotFilter>(_ slot: Slot, filter: F, skipTombstones: Bool) -> Bool {
        (!skipTombstones || !isTombstoned(slot)) && filter.contains(slot)
    }

    /// Copies the neighbours of `slot` on `level` into `buffer` (room for the level's degree); under a parallel
    /// build the copy is taken under the node's stripe lock, because another thread may be rewriting the list.
    @inline(__always)
    func copyLinks(of slot: Slot, level: Int, locked: Bool, into buffer: UnsafeMutablePointer<Slot>) -> Int {
        let record = linkRecord(slot, level: level)
        if locked { linkLocks.lock(slot) }
        defer { if locked { linkLocks.unlock(slot) } }
        let count = min(Int(record[0]), maxDegree(level: level))
        for i in 0..<count { buffer[i] = record[1 + i] }
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

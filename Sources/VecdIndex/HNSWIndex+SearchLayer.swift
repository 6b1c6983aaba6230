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
    /// Returns `false` when the walk stopped because it computed more than `distanceBudget` distances.
    @discardableResult
    func searchLayer<D: WalkDistance, F: SlotFilter>(
        entry: Neighbor, level: Int, ef: Int, distance: D, filter: F, skipTombstones: Bool,
        locked: Bool, distanceBudget: Int = .max, scratch: SearchScratch
    ) -> Bool {
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
                guard scratch.visited.insert(neighbor) else { continue }
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
                if scratch.results.count < ef {
                    scratch.results.push(Neighbor(slot: neighbor, distance: d))
                } else {
                    scratch.results.replaceTop(Neighbor(slot: neighbor, distance: d))
                }
                if scratch.results.count >= ef { worstKept = scratch.results.top!.distance }
            }
            if scratch.distanceCount > distanceBudget { return false }
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
        let count = Int(record[0])
        scratch.neighborCopy.withUnsafeMutableBufferPointer { buffer in
            for i in 0..<count { buffer[i] = record[1 + i] }
        }
        return count
    }
}

import Synchronization

extension HNSWIndex {
    /// Links every ground-layer node that the entry point cannot reach back into the graph; returns how many it
    /// relinked. Runs under the write lock.
    ///
    /// The neighbour heuristic prunes reverse links, and under a parallel build a node can lose every incoming link
    /// (about 1 in 4,000 on clustered data). For each such node, its nearest reachable neighbours are found by a walk,
    /// and the first of them whose farthest link points at a node with another incoming link gives that link up to
    /// the stranded node. O(n·2m). `add` runs it once the vectors inserted since the last repair reach
    /// ``repairInterval(for:)``; maintenance (compaction) may call it directly.
    @discardableResult
    public func repairConnectivity() -> Int {
        lock.withWriteLock { repairConnectivityLocked() }
    }

    /// Inserts between automatic repairs: 1,000, or 1% of the index when larger, so the O(n) pass costs O(m) per
    /// insert on average.
    static func repairInterval(for count: Int) -> Int { max(1000, count / 100) }

    func repairConnectivityLocked() -> Int {
        insertsSinceRepair = 0
        guard slotCount > 1, !store.floats.isBorrowed else { return 0 }
        let top = entry.withLock { $0 }
        var inDegree = [UInt32](repeating: 0, count: slotCount)
        for slot in 0..<slotCount {
            let record = linkRecord(Slot(slot), level: 0)
            for i in 0..<Int(record[0]) { inDegree[Int(record[1 + i])] += 1 }
        }
        var reached = reachableFromEntry(top.slot)
        var relinked = 0
        let scratch = scratchPool.checkOut()
        defer { scratchPool.checkIn(scratch) }
        for slot in 0..<slotCount where !reached[slot] {
            let stranded = Slot(slot)
            let distance = Float32Walk(store: store, query: store.vector(stranded))
            scratch.prepare(capacity: slotCount, dimension: 0, ef: parameters.efConstruction,
                            degree: parameters.groundLayerDegree)
            searchLayer(entry: Neighbor(slot: top.slot, distance: distance(top.slot)), level: 0,
                        ef: parameters.efConstruction, distance: distance, filter: AcceptAll(),
                        skipTombstones: false, locked: false, scratch: scratch)
            scratch.sorted.removeAll(keepingCapacity: true)
            scratch.results.drainAscending(into: &scratch.sorted)
            for host in scratch.sorted where host.slot != stranded && reached[Int(host.slot)] {
                if giveLink(from: host.slot, to: stranded, inDegree: &inDegree) {
                    relinked += 1
                    // Everything the stranded node links to is now reachable through it too.
                    var stack = [stranded]
                    reached[slot] = true
                    while let node = stack.popLast() {
                        let record = linkRecord(node, level: 0)
                        for i in 0..<Int(record[0]) where !reached[Int(record[1 + i])] {
                            reached[Int(record[1 + i])] = true
                            stack.append(record[1 + i])
                        }
                    }
                    break
                }
            }
        }
        return relinked
    }

    private func reachableFromEntry(_ start: Slot) -> [Bool] {
        var reached = [Bool](repeating: false, count: slotCount)
        var stack: [Slot] = [start]
        reached[Int(start)] = true
        while let node = stack.popLast() {
            let record = linkRecord(node, level: 0)
            for i in 0..<Int(record[0]) where !reached[Int(record[1 + i])] {
                reached[Int(record[1 + i])] = true
                stack.append(record[1 + i])
            }
        }
        return reached
    }

    /// Adds `target` to `host`'s ground links: appended when there is room, else replacing the farthest link whose
    /// node keeps another incoming link. Returns whether it linked.
    private func giveLink(from host: Slot, to target: Slot, inDegree: inout [UInt32]) -> Bool {
        let record = linkRecord(host, level: 0)
        let count = Int(record[0])
        for i in 0..<count where record[1 + i] == target { return true }
        if count < parameters.groundLayerDegree {
            record[1 + count] = target
            record[0] = UInt32(count + 1)
            inDegree[Int(target)] += 1
            return true
        }
        var victim = -1
        var victimDistance = -Float.infinity
        for i in 0..<count where inDegree[Int(record[1 + i])] > 1 {
            let d = store.distance(host, record[1 + i])
            if d > victimDistance {
                victimDistance = d
                victim = i
            }
        }
        guard victim >= 0 else { return false }
        inDegree[Int(record[1 + victim])] -= 1
        record[1 + victim] = target
        inDegree[Int(target)] += 1
        return true
    }
}

import Synchronization
import VecdKernels

extension HNSWIndex {
    /// Adds `vectors` (row-major, `dimension` floats each) and returns the slot of the first; the others follow it.
    ///
    /// Every vector is validated before anything is stored, so a bad one rejects the whole batch. Inserts run on
    /// `threads` worker threads (default: all cores). Searches keep being answered during a long build: a batch of
    /// ``concurrentLinkingMinimumRows`` or more links its rows beside them (`HNSWIndex+ConcurrentLinking.swift`).
    /// `progress` is called, possibly from a worker thread, with the number of vectors inserted so far.
    @discardableResult
    public func add(
        _ vectors: UnsafeBufferPointer<Float>, threads: Int? = nil,
        progress: (@Sendable (Int) -> Void)? = nil
    ) throws(IndexError) -> Slot {
        let dimension = parameters.dimension
        guard vectors.count % dimension == 0 else {
            throw .invalidVector(.dimensionMismatch(expected: dimension, got: vectors.count % dimension))
        }
        let rows = vectors.count / dimension
        for row in 0..<rows {
            let vector = UnsafeBufferPointer(rebasing: vectors[(row * dimension)..<((row + 1) * dimension)])
            do { try validateVector(vector, dimension: dimension) } catch { throw .invalidVector(error) }
        }
        guard rows > 0, let base = vectors.baseAddress else { return Slot(count) }
        let workers = max(1, threads ?? ProcessInfoCores.count)
        let first: Int
        if rows < Self.concurrentLinkingMinimumRows {
            // A small batch links under the write lock: it is brief, and its walks skip the stripe locks.
            first = try lock.withWriteLock { () throws(IndexError) -> Int in
                let first = try storeRows(base, rows: rows)
                linkRows(from: first, count: rows, workers: workers, searchesRun: false, progress: nil)
                return first
            }
            progress?(rows)
        } else {
            first = try linkConcurrentlyWithSearches(base, rows: rows, workers: workers,
                                                     progress: progress)
        }
        lock.withWriteLock {
            insertsSinceRepair += rows
            if insertsSinceRepair >= Self.repairInterval(for: slotCount) { _ = repairConnectivityLocked() }
        }
        return Slot(first)
    }

    /// Adds one vector and returns its slot.
    @discardableResult
    public func add(_ vector: [Float]) throws(IndexError) -> Slot {
        try vector.withUnsafeBufferPointer { (buffer) throws(IndexError) -> Slot in try add(buffer, threads: 1) }
    }

    /// Marks `slot` deleted: searches skip it from now on, though the walk still passes through it so the graph
    /// stays connected. Its space is reclaimed when the index is rebuilt from its live slots (compaction).
    public func delete(_ slot: Slot) throws(IndexError) {
        try lock.withWriteLock { () throws(IndexError) in
            guard Int(slot) < slotCount else { throw .unknownSlot(slot) }
            let word = Int(slot) >> 6
            while tombstones.count <= word { tombstones.append(0) }
            let bit: UInt64 = 1 << (UInt64(slot) & 63)
            if tombstones[word] & bit == 0 {
                tombstones[word] |= bit
                deletedCount += 1
            }
        }
    }

    /// INSERT (the paper's Algorithm 1) for a slot whose vector and level are already stored.
    /// `lockReads`: another thread may rewrite lists this one reads (a second worker). `lockWrites`: another thread
    /// may read or write lists this one writes (a second worker, or searches running beside the build).
    func link(_ slot: Slot, scratch: SearchScratch, lockReads: Bool, lockWrites: Bool) {
        let level = Int(level(of: slot))
        // A node that raises the graph's top holds the entry lock for its whole insertion, so no other thread
        // starts from an entry point whose upper links do not exist yet.
        var top = entry.withLock { $0 }
        if top.level < 0 || level > top.level {
            let claimed: Bool = entry.withLock { current in
                if current.level < 0 {
                    current = EntryPoint(slot: slot, level: level)
                    return true
                }
                top = current
                return false
            }
            if claimed { return }
        }

        let query = store.vector(slot)
        let distance = Float32Walk(store: store, query: query)
        scratch.prepare(capacity: slotCount, dimension: 0, ef: parameters.efConstruction,
                        degree: parameters.groundLayerDegree)
        var current = Neighbor(slot: top.slot, distance: distance(top.slot))
        if top.level > level {
            for upper in stride(from: top.level, to: level, by: -1) {
                current = greedyClosest(from: current, level: upper, distance: distance, locked: lockReads,
                                        scratch: scratch)
            }
        }
        // Choose the neighbours on every layer first, then write the links from layer 0 up. A search (or another
        // worker's insertion) reaches a new node through a link on some layer and then descends from it; written top
        // down, the node could be reached on an upper layer before its ground-layer list existed, and a search
        // descending into it found no neighbours and answered one row.
        let linkedTop = min(level, top.level)
        var chosen = [[Neighbor]](repeating: [], count: linkedTop + 1)
        for layer in stride(from: linkedTop, through: 0, by: -1) {
            scratch.visited.reset(capacity: slotCount)
            searchLayer(entry: current, level: layer, ef: parameters.efConstruction, distance: distance,
                        filter: HeadsOnly(twinHeads: twinHeads), skipTombstones: false, locked: lockReads,
                        scratch: scratch)
            scratch.sorted.removeAll(keepingCapacity: true)
            scratch.results.drainAscending(into: &scratch.sorted)
            // The new node itself cannot be a result: it is not linked from anywhere yet.
            selectNeighbors(of: query, scratch.sorted, limit: parameters.m, into: &scratch.selected)
            chosen[layer] = scratch.selected
            current = scratch.sorted.first ?? current
        }
        // A copy of a node already in the graph is folded behind it instead of linked (HNSWIndex+Twins.swift), unless
        // it raises the graph's top, which must be linked on every level.
        if level <= top.level, let nearest = scratch.sorted.first,
           isTwin(nearest, ofBase: query, baseSquaredNorm: squaredNorm(query)) {
            fold(slot, behind: nearest.slot, locked: lockWrites)
            return
        }
        for layer in 0...linkedTop {
            setLinks(of: slot, level: layer, to: chosen[layer], locked: lockWrites)
            for neighbor in chosen[layer] {
                addReverseLink(from: neighbor.slot, to: slot, distance: neighbor.distance, level: layer,
                               locked: lockWrites, scratch: scratch)
            }
        }
        if level > top.level {
            entry.withLock { current in
                if level > current.level { current = EntryPoint(slot: slot, level: level) }
            }
        }
    }

    private func setLinks(of slot: Slot, level: Int, to neighbors: [Neighbor], locked: Bool) {
        if locked { linkLocks.lock(slot) }
        defer { if locked { linkLocks.unlock(slot) } }
        let record = linkRecord(slot, level: level)
        record[0] = UInt32(neighbors.count)
        for (i, neighbor) in neighbors.enumerated() { record[1 + i] = neighbor.slot }
    }

    /// Links `target` back to `newSlot`; a full list is re-pruned with the heuristic over its members plus the new one.
    private func addReverseLink(
        from target: Slot, to newSlot: Slot, distance: Float, level: Int, locked: Bool, scratch: SearchScratch
    ) {
        if locked { linkLocks.lock(target) }
        defer { if locked { linkLocks.unlock(target) } }
        let record = linkRecord(target, level: level)
        let count = Int(record[0])
        let limit = maxDegree(level: level)
        for i in 0..<count where record[1 + i] == newSlot { return }
        if count < limit {
            record[1 + count] = newSlot
            record[0] = UInt32(count + 1)
            return
        }
        // A head's first link starts its chain of twins: it stays first and out of the pruning.
        let chained = isChainLink(from: target, to: record[1]) ? 1 : 0
        scratch.pruneCandidates.removeAll(keepingCapacity: true)
        scratch.pruneCandidates.append(Neighbor(slot: newSlot, distance: distance))
        for i in chained..<count {
            let member = record[1 + i]
            scratch.pruneCandidates.append(Neighbor(slot: member, distance: store.distance(target, member)))
        }
        // Insertion sort: the list is short (at most 2m + 1) and the sort must not allocate.
        scratch.pruneCandidates.withUnsafeMutableBufferPointer { buffer in
            for i in 1..<buffer.count {
                let item = buffer[i]
                var j = i - 1
                while j >= 0 && buffer[j].distance > item.distance {
                    buffer[j + 1] = buffer[j]
                    j -= 1
                }
                buffer[j + 1] = item
            }
        }
        selectNeighbors(of: store.vector(target), scratch.pruneCandidates, limit: limit - chained,
                        into: &scratch.pruneSelected)
        record[0] = UInt32(chained + scratch.pruneSelected.count)
        for (i, neighbor) in scratch.pruneSelected.enumerated() { record[1 + chained + i] = neighbor.slot }
    }
}

/// The number of cores this process may use.
enum ProcessInfoCores {
    static var count: Int {
        #if canImport(Glibc)
        let online = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return max(1, online)
        #else
        return 1
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#endif

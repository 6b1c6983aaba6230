import Synchronization
import VecdKernels

extension HNSWIndex {
    /// The `k` nearest live slots to `query` (K-NN-SEARCH, the paper's Algorithm 5).
    public func search(_ query: [Float], parameters: SearchParameters) throws(IndexError) -> SearchResult {
        try search(query, parameters: parameters, filter: AcceptAll())
    }

    /// The `k` nearest live slots to `query` that `filter` accepts.
    ///
    /// The plan is chosen by selectivity: an allowed set small enough that measuring each member is cheaper than the
    /// walk is scanned exactly; otherwise the walk filters during traversal. A walk that comes back with fewer than
    /// `k` rows, or exceeds the cost of the exact scan, is finished by the exact scan, so `k` rows come back whenever
    /// `k` rows match.
    public func search<F: SlotFilter>(
        _ query: [Float], parameters: SearchParameters, filter: F
    ) throws(IndexError) -> SearchResult {
        var neighbors: [Neighbor] = []
        neighbors.reserveCapacity(parameters.k)
        let report = try query.withUnsafeBufferPointer { (buffer) throws(IndexError) -> SearchReport in
            try search(buffer, parameters: parameters, filter: filter, into: &neighbors)
        }
        return SearchResult(neighbors: neighbors, report: report)
    }

    /// Allocation-free form of ``search(_:parameters:filter:)``: replaces the contents of `results` (reserve `k`).
    public func search<F: SlotFilter>(
        _ query: UnsafeBufferPointer<Float>, parameters: SearchParameters, filter: F, into results: inout [Neighbor]
    ) throws(IndexError) -> SearchReport {
        try parameters.validate()
        do { try validateVector(query, dimension: self.parameters.dimension) } catch { throw .invalidVector(error) }
        results.removeAll(keepingCapacity: true)
        return lock.withReadLock {
            let scratch = scratchPool.checkOut()
            defer { scratchPool.checkIn(scratch) }
            return plannedSearch(query, parameters: parameters, filter: filter, scratch: scratch, into: &results)
        }
    }

    private func plannedSearch<F: SlotFilter>(
        _ query: UnsafeBufferPointer<Float>, parameters: SearchParameters, filter: F, scratch: SearchScratch,
        into results: inout [Neighbor]
    ) -> SearchReport {
        let ef = parameters.effectiveEF
        scratch.prepare(capacity: slotCount, dimension: self.parameters.dimension, ef: ef,
                        degree: self.parameters.groundLayerDegree)
        prepareQuery(query, scratch: scratch)
        let live = slotCount - deletedCount
        guard live > 0 else { return SearchReport(plan: .graph, matchingCount: 0, isExhaustive: true) }

        if let allowed = filter.allowedSlots {
            let matching = allowed.count  // may include deleted slots; the scan skips them
            // Exact scan costs one distance per allowed slot; a filtered walk costs about ef·degree/selectivity.
            // Scan when matching² ≤ ef·degree·live, i.e. when the scan is the cheaper of the two.
            let walkCost = Double(ef) * Double(self.parameters.groundLayerDegree) * Double(live)
            if Double(matching) * Double(matching) <= walkCost {
                return exactScan(slots: allowed, k: parameters.k, filter: filter, scratch: scratch, into: &results)
            }
            // Expect about `selectivity` of the measured rows to pass; a quarter of that after a probe of 2·ef·degree
            // distances means the filter is correlated against the query, and the scan is cheaper.
            let selectivity = Double(matching) / Double(max(slotCount, 1))
            let budget = WalkBudget(maxDistances: matching, probeDistances: 2 * ef * self.parameters.groundLayerDegree,
                                    minimumAcceptRate: selectivity / 4)
            var report = walk(k: parameters.k, ef: ef, filter: filter, budget: budget, scratch: scratch,
                              into: &results)
            report.plan = .filteredGraph
            if !report.isComplete || results.count < min(parameters.k, matching) {
                results.removeAll(keepingCapacity: true)
                let spent = report.distanceCount
                report = exactScan(slots: allowed, k: parameters.k, filter: filter, scratch: scratch, into: &results)
                report.distanceCount += spent
                report.fellBackToExactScan = true
            }
            return report
        }

        let filtered = !(filter is AcceptAll)
        var report = walk(k: parameters.k, ef: ef, filter: filter, budget: .unlimited, scratch: scratch, into: &results)
        report.plan = filtered ? .filteredGraph : .graph
        if filtered && results.count < parameters.k {
            // A predicate's selectivity is unknown; when the walk found too few, measure every slot.
            results.removeAll(keepingCapacity: true)
            let spent = report.distanceCount
            report = exactScan(slots: nil, k: parameters.k, filter: filter, scratch: scratch, into: &results)
            report.distanceCount += spent
            report.fellBackToExactScan = true
        } else if !filtered {
            report.matchingCount = live
            report.isComplete = results.count == min(parameters.k, live)
        }
        return report
    }

    /// Copies the query into scratch, unit-length under cosine, and prepares the Int8 form when the walk needs it.
    private func prepareQuery(_ query: UnsafeBufferPointer<Float>, scratch: SearchScratch) {
        let dimension = self.parameters.dimension
        scratch.query.withUnsafeMutableBufferPointer { target in
            for i in 0..<dimension { target[i] = query[i] }
            if self.parameters.metric == .cosine { normalize(target.baseAddress!, count: dimension) }
            if let quantizer = store.quantizer {
                scratch.queryConstant = scratch.scaledQuery.withUnsafeMutableBufferPointer {
                    quantizer.prepare(query: target.baseAddress!, into: $0.baseAddress!)
                }
            }
        }
    }

    /// Runs the walk with the distance of the storage mode, re-ranking compact-mode candidates exactly.
    private func walk<F: SlotFilter>(
        k: Int, ef: Int, filter: F, budget: WalkBudget, scratch: SearchScratch, into results: inout [Neighbor]
    ) -> SearchReport {
        scratch.query.withUnsafeBufferPointer { queryBuffer in
            let query = queryBuffer.baseAddress!
            guard store.walksCompactCodes, let codes = store.codes else {
                return walk(distance: Float32Walk(store: store, query: query), k: k, ef: ef, filter: filter,
                            budget: budget, rerank: Float32Walk?.none, scratch: scratch, into: &results)
            }
            if let source = store.rowSource {
                return scratch.sourceRow.withUnsafeMutableBufferPointer { row in
                    let exact = SourceRowDistance(source: source, row: row.baseAddress!, query: query, store: store)
                    return compactWalk(codes: codes, query: query, k: k, ef: ef, filter: filter, budget: budget,
                                       rerank: exact, scratch: scratch, into: &results)
                }
            }
            return compactWalk(codes: codes, query: query, k: k, ef: ef, filter: filter, budget: budget,
                               rerank: Float32Walk(store: store, query: query), scratch: scratch, into: &results)
        }
    }

    /// The walk over the Float16 or Int8 copy, re-ranked exactly by `rerank`.
    private func compactWalk<R: WalkDistance, F: SlotFilter>(
        codes: RowBuffer, query: UnsafePointer<Float>, k: Int, ef: Int, filter: F, budget: WalkBudget, rerank: R,
        scratch: SearchScratch, into results: inout [Neighbor]
    ) -> SearchReport {
        if store.mode == .float16 {
            return walk(distance: Float16Walk(store: store, codes: codes, query: query), k: k, ef: ef,
                        filter: filter, budget: budget, rerank: rerank, scratch: scratch, into: &results)
        }
        let squaredNorm = dotProduct(query, query, count: parameters.dimension)
        return scratch.scaledQuery.withUnsafeBufferPointer { scaled in
            let int8 = Int8Walk(store: store, codes: codes, scaledQuery: scaled.baseAddress!,
                                constant: scratch.queryConstant, querySquaredNorm: squaredNorm)
            return walk(distance: int8, k: k, ef: ef, filter: filter, budget: budget, rerank: rerank,
                        scratch: scratch, into: &results)
        }
    }

    private func walk<D: WalkDistance, R: WalkDistance, F: SlotFilter>(
        distance: D, k: Int, ef: Int, filter: F, budget: WalkBudget, rerank: R?, scratch: SearchScratch,
        into results: inout [Neighbor]
    ) -> SearchReport {
        let top = entry.withLock { $0 }
        // A batch may be linking beside this search (HNSWIndex+ConcurrentLinking.swift): then read lists locked.
        let locked = linkingBatchCount.load(ordering: .relaxed) > 0
        var current = Neighbor(slot: top.slot, distance: distance(top.slot))
        scratch.distanceCount += 1
        if top.level > 0 {
            for level in stride(from: top.level, to: 0, by: -1) {
                current = greedyClosest(from: current, level: level, distance: distance, locked: locked,
                                        scratch: scratch)
            }
        }
        let finished = searchLayer(entry: current, level: 0, ef: ef, distance: distance, filter: filter,
                                   skipTombstones: deletedCount > 0, locked: locked, budget: budget,
                                   scratch: scratch)
        if let rerank {
            // Compact distances chose the candidates; exact Float32 distances order them.
            scratch.sorted.removeAll(keepingCapacity: true)
            scratch.results.drainAscending(into: &scratch.sorted)
            // Rows read from storage cost a system call each: only the best candidates by compact distance.
            let rerankCount = store.rowSource == nil
                ? scratch.sorted.count : rowSourceRerankCount(k: k, ef: ef, candidates: scratch.sorted.count)
            for candidate in scratch.sorted.prefix(rerankCount) {
                let measured = rerank(candidate.slot)
                // NaN: the row could not be read; the compact distance still orders the candidate.
                let exact = Neighbor(slot: candidate.slot, distance: measured.isNaN ? candidate.distance : measured)
                scratch.distanceCount += 1
                if scratch.results.count < k {
                    scratch.results.push(exact)
                } else if exact.distance < scratch.results.top!.distance {
                    scratch.results.replaceTop(exact)
                }
            }
        } else {
            while scratch.results.count > k { scratch.results.pop() }
        }
        scratch.results.drainAscending(into: &results)
        for i in results.indices { results[i].distance = store.reported(results[i].distance) }
        return SearchReport(plan: .graph, distanceCount: scratch.distanceCount, hopCount: scratch.hopCount,
                            isComplete: finished)
    }

    /// Measures every slot of `slots` (every slot when `nil`) exactly and keeps the `k` nearest that pass.
    func exactScan<F: SlotFilter>(
        slots: [Slot]?, k: Int, filter: F, scratch: SearchScratch, into results: inout [Neighbor]
    ) -> SearchReport {
        scratch.results.removeAll()
        var measured = 0
        var matching = 0
        func scan<D: WalkDistance>(_ distance: D) {
            func consider(_ slot: Slot) {
                guard Int(slot) < slotCount, !isTombstoned(slot), filter.contains(slot) else { return }
                matching += 1
                let d = distance(slot)
                measured += 1
                // NaN: a low-RAM row that could not be read is left out rather than ranked arbitrarily.
                guard !d.isNaN else { return }
                if scratch.results.count < k {
                    scratch.results.push(Neighbor(slot: slot, distance: d))
                } else if d < scratch.results.top!.distance {
                    scratch.results.replaceTop(Neighbor(slot: slot, distance: d))
                }
            }
            if let slots {
                // Rows a few places ahead are requested early: allowed sets are sparse, so the hardware
                // prefetcher cannot predict the next row.
                for (i, slot) in slots.enumerated() {
                    if i + 4 < slots.count, Int(slots[i + 4]) < slotCount { distance.prefetch(slots[i + 4]) }
                    consider(slot)
                }
            } else {
                for slot in 0..<slotCount { consider(Slot(slot)) }
            }
        }
        scratch.query.withUnsafeBufferPointer { queryBuffer in
            let query = queryBuffer.baseAddress!
            guard let source = store.rowSource else { return scan(Float32Walk(store: store, query: query)) }
            scratch.sourceRow.withUnsafeMutableBufferPointer { row in
                scan(SourceRowDistance(source: source, row: row.baseAddress!, query: query, store: store))
            }
        }
        scratch.results.drainAscending(into: &results)
        for i in results.indices { results[i].distance = store.reported(results[i].distance) }
        return SearchReport(plan: .exactScan, distanceCount: measured, matchingCount: matching,
                            isComplete: results.count == min(k, matching), isExhaustive: true)
    }
}

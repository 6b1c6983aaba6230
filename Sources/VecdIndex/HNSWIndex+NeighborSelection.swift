extension HNSWIndex {
    /// SELECT-NEIGHBORS-HEURISTIC (the paper's Algorithm 4, without extending or keeping pruned candidates):
    /// walks `candidates` nearest first and keeps one only if it is closer to the base than to every neighbour
    /// already kept, so links spread in different directions instead of clustering.
    ///
    /// `candidates` must be sorted by ascending distance to the base; the kept ones are written to `selected`.
    func selectNeighbors(_ candidates: [Neighbor], limit: Int, into selected: inout [Neighbor]) {
        selected.removeAll(keepingCapacity: true)
        for candidate in candidates {
            if selected.count >= limit { break }
            var diverse = true
            for kept in selected where store.distance(candidate.slot, kept.slot) < candidate.distance {
                diverse = false
                break
            }
            if diverse { selected.append(candidate) }
        }
    }
}

import VecdKernels

extension HNSWIndex {
    /// SELECT-NEIGHBORS-HEURISTIC (the paper's Algorithm 4, without extending or keeping pruned candidates):
    /// walks `candidates` nearest first and keeps one only if it is closer to the base than to every neighbour
    /// already kept, so links spread in different directions instead of clustering.
    ///
    /// Twins of the base — candidates equal to it within float rounding (``isTwin(_:ofBase:baseSquaredNorm:)``) —
    /// get at most ``twinLinkLimit(degree:)`` links, and a kept twin never rules out another candidate. The plain
    /// heuristic cannot tell a twin from a neighbour: at distance 0, `d(candidate, kept) < 0` never holds, so a node
    /// with many copies spent every link on them and the copies became an island the walk could not leave (or
    /// enter); for near copies, a kept twin ruled out real neighbours at random, since `d(c, twin)` and `d(c, base)`
    /// differ only by rounding. See docs/index.md, "Duplicate vectors".
    ///
    /// `candidates` must be sorted by ascending distance to `base`; the kept ones are written to `selected`, twins
    /// first.
    func selectNeighbors(
        of base: UnsafePointer<Float>, _ candidates: [Neighbor], limit: Int, into selected: inout [Neighbor]
    ) {
        selected.removeAll(keepingCapacity: true)
        let twinLimit = Self.twinLinkLimit(degree: limit)
        let baseSquaredNorm = squaredNorm(base)
        var twins = 0
        for found in candidates {
            if selected.count >= limit { break }
            // A folded twin stands for its head: links go to heads, which reach their twins through the chain.
            let candidate = head(of: found.slot).map { Neighbor(slot: $0, distance: found.distance) } ?? found
            if isTwin(candidate, ofBase: base, baseSquaredNorm: baseSquaredNorm) {
                if twins < twinLimit && !selected[..<twins].contains(where: { $0.slot == candidate.slot }) {
                    selected.insert(candidate, at: twins)
                    twins += 1
                }
                continue
            }
            var diverse = true
            for kept in selected[twins...] where store.distance(candidate.slot, kept.slot) < candidate.distance {
                diverse = false
                break
            }
            if diverse { selected.append(candidate) }
        }
    }

    /// Links a node may spend on its twins: enough that every copy of a repeated vector stays reachable from the
    /// others (a copy is found through its twins), few enough that the rest of the list still spans the space.
    static func twinLinkLimit(degree: Int) -> Int { max(2, degree / 8) }

    /// Squared distance between twins, relative to the squared norm: `1e-6` is a cosine distance of `1e-6`, far above
    /// the rounding of Float32 (or even Float16) copies of one vector and far below the distance between two texts
    /// that differ by a word.
    static let twinTolerance: Float = 2e-6

    /// `|base|²`, the scale of ``isTwin(_:ofBase:baseSquaredNorm:)`` (1 for the unit-length rows of cosine).
    @inline(__always)
    func squaredNorm(_ base: UnsafePointer<Float>) -> Float {
        parameters.metric == .cosine ? 1 : dotProduct(base, base, count: parameters.dimension)
    }

    /// Whether `candidate` (its distance measured from `base` in Float32) equals the base within float rounding.
    @inline(__always)
    func isTwin(_ candidate: Neighbor, ofBase base: UnsafePointer<Float>, baseSquaredNorm: Float) -> Bool {
        switch parameters.metric {
        case .cosine:
            // Unit-length rows: |a − b|² = 2 · (1 − a·b) = 2 · distance.
            return 2 * candidate.distance <= Self.twinTolerance
        case .l2:
            return candidate.distance <= Self.twinTolerance * baseSquaredNorm
        case .dot:
            // −a·b alone does not say how far apart a and b are: a twin has a·b ≈ |a|², then measure the difference.
            guard abs(candidate.distance + baseSquaredNorm) <= 1e-3 * baseSquaredNorm else { return false }
            let squared = squaredEuclideanDistance(base, store.vector(candidate.slot), count: parameters.dimension)
            return squared <= Self.twinTolerance * baseSquaredNorm
        }
    }
}

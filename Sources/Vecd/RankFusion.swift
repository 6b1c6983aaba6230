/// Weights of the two rankings in hybrid search, and the rank-fusion constant.
public struct FusionWeights: Sendable, Equatable {
    public var vector: Double
    public var text: Double
    /// RRF's `k`: 60 in Cormack et al. (2009) and most engines; larger flattens the advantage of the top ranks.
    public var rrfK: Double

    public init(vector: Double = 1, text: Double = 1, rrfK: Double = 60) {
        self.vector = vector
        self.text = text
        self.rrfK = rrfK
    }

    func validate() throws(VecdError) {
        guard vector >= 0, text >= 0, vector + text > 0, vector.isFinite, text.isFinite, rrfK >= 1, rrfK.isFinite else {
            throw VecdError(.invalidArgument, "fusion weights must be finite, ≥ 0, not both 0, and rrfK ≥ 1")
        }
    }
}

/// Reciprocal rank fusion of a vector ranking and a full-text ranking.
enum RankFusion {
    static func fuse(vector: [ChunkHit], text: [ChunkHit], weights: FusionWeights, k: Int) -> [ChunkHit] {
        var fused: [Int64: ChunkHit] = [:]
        var order: [Int64] = []
        func add(_ hits: [ChunkHit], weight: Double, isVector: Bool) {
            for (rank, hit) in hits.enumerated() {
                let contribution = weight / (weights.rrfK + Double(rank + 1))
                if var existing = fused[hit.chunk.id] {
                    existing.score += contribution
                    if isVector { existing.vectorScore = hit.vectorScore } else { existing.textScore = hit.textScore }
                    fused[hit.chunk.id] = existing
                } else {
                    var entry = hit
                    entry.score = contribution
                    fused[hit.chunk.id] = entry
                    order.append(hit.chunk.id)
                }
            }
        }
        add(vector, weight: weights.vector, isVector: true)
        add(text, weight: weights.text, isVector: false)
        // Ties keep first-seen order (vector ranking first), so results are deterministic.
        let ranked = order.enumerated().sorted { a, b in
            let x = fused[a.element]!.score
            let y = fused[b.element]!.score
            return x != y ? x > y : a.offset < b.offset
        }
        return ranked.prefix(k).map { fused[$0.element]! }
    }
}

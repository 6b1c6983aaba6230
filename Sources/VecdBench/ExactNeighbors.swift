import Dispatch
import VecdKernels

/// Ground truth by brute force in Double precision: the oracle that recall is measured against.
public enum ExactNeighbors {
    /// For each query row, the indices of the `k` nearest base rows under `metric` (ties broken by index),
    /// computed on `threads` threads.
    public static func compute(
        base: VectorMatrix<Float>, queries: VectorMatrix<Float>, k: Int, metric: DistanceMetric, threads: Int = 2
    ) -> VectorMatrix<Int32> {
        precondition(base.dimension == queries.dimension)
        let k = min(k, base.rows)
        let baseNorms = (0..<base.rows).map { norm(base.row($0)) }
        let output = UnsafeMutableBufferPointer<Int32>.allocate(capacity: queries.rows * k)
        defer { output.deallocate() }
        nonisolated(unsafe) let shared = output
        DispatchQueue.concurrentPerform(iterations: max(1, threads)) { worker in
            for q in stride(from: worker, to: queries.rows, by: max(1, threads)) {
                let query = queries.row(q)
                let queryNorm = norm(query)
                var scored: [(Double, Int)] = []
                scored.reserveCapacity(base.rows)
                for b in 0..<base.rows {
                    scored.append((distance(query, base.row(b), queryNorm, baseNorms[b], metric), b))
                }
                scored.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
                for i in 0..<k { shared[q * k + i] = Int32(scored[i].1) }
            }
        }
        return VectorMatrix(rows: queries.rows, dimension: k, values: Array(output))
    }

    static func norm(_ v: ArraySlice<Float>) -> Double {
        v.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    }

    /// The reference distance in Double precision (cosine with vecd's zero-vector rule).
    public static func distance(
        _ a: ArraySlice<Float>, _ b: ArraySlice<Float>, _ normA: Double, _ normB: Double, _ metric: DistanceMetric
    ) -> Double {
        var dot = 0.0
        var squared = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            let d = Double(x) - Double(y)
            squared += d * d
        }
        switch metric {
        case .cosine:
            guard normA > 0, normB > 0 else { return 1 }
            return 1 - min(max(dot / (normA * normB), -1), 1)
        case .dot: return -dot
        case .l2: return squared.squareRoot()
        }
    }

    /// recall@k: the mean fraction of each query's true top-`k` that `results` returned.
    public static func recall(results: [[Int32]], truth: VectorMatrix<Int32>, k: Int) -> Double {
        precondition(truth.dimension >= k)
        var hits = 0
        for (q, returned) in results.enumerated() {
            let expected = Set(truth.row(q).prefix(k))
            hits += returned.prefix(k).filter { expected.contains($0) }.count
        }
        return Double(hits) / Double(results.count * k)
    }
}

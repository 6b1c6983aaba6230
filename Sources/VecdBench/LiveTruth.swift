import VecdKernels

/// Exact ground truth over a subset of a base set's rows: what recall is measured against once rows were deleted.
public enum LiveTruth {
    /// For each query, the base-row numbers of the `k` nearest rows among `liveRows` (Double precision, ties by
    /// position in `liveRows`), so the ids match a collection that stores row r under id r.
    public static func compute(
        base: VectorMatrix<Float>, liveRows: [Int], queries: VectorMatrix<Float>, k: Int, metric: DistanceMetric,
        threads: Int
    ) -> VectorMatrix<Int32> {
        var values: [Float] = []
        values.reserveCapacity(liveRows.count * base.dimension)
        for row in liveRows { values.append(contentsOf: base.row(row)) }
        let live = VectorMatrix(rows: liveRows.count, dimension: base.dimension, values: values)
        let positions = ExactNeighbors.compute(base: live, queries: queries, k: k, metric: metric, threads: threads)
        return VectorMatrix(
            rows: positions.rows, dimension: positions.dimension,
            values: positions.values.map { Int32(liveRows[Int($0)]) })
    }

    /// The rows the churn protocol deletes: the first `fraction` of a seeded shuffle of `0..<rows`. The pgvector side
    /// draws them the same way from the same seed, so both engines lose the same rows.
    public static func deletedRows(rows: Int, fraction: Double, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed)
        return Array((0..<rows).shuffled(using: &generator).prefix(Int((Double(rows) * fraction).rounded())))
    }
}

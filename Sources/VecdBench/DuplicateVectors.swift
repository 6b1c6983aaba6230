import VecdKernels

/// Data sets full of repeated vectors, the shape of real knowledge bases (boilerplate footers, disclaimers, the same
/// chunk ingested twice), and recall measured with ties resolved: among copies at one distance, any is a right answer.
public enum DuplicateVectors {
    /// Where the copies go in insertion order.
    public enum Placement: String, CaseIterable, Sendable {
        /// Every copy before the unique rows.
        case first
        /// Every copy after the unique rows.
        case last
        /// Copies and unique rows shuffled together.
        case mixed
    }

    /// `uniqueRows` clustered vectors plus `distinct × copies` repeated ones (each of `distinct` vectors `copies`
    /// times), placed as `placement` says. `nearCopyNoise` > 0 makes every copy differ from its original by Gaussian
    /// noise of that size relative to each component (1e-6 is float rounding); 0 makes exact copies.
    public static func make(
        uniqueRows: Int, distinct: Int, copies: Int, dimension: Int, placement: Placement,
        nearCopyNoise: Float = 0, seed: UInt64
    ) -> VectorMatrix<Float> {
        let unique = SyntheticVectors.clustered(rows: uniqueRows, dimension: dimension, clusters: 20, seed: seed)
        // The repeated vectors come from the same clusters, so queries land among them.
        let originals = SyntheticVectors.clustered(rows: distinct, dimension: dimension, clusters: 20, seed: seed | 0x77)
        var generator = SeededGenerator(seed: seed ^ 0xD0B1E)
        var repeated: [Float] = []
        repeated.reserveCapacity(distinct * copies * dimension)
        for copy in 0..<(distinct * copies) {
            let source = originals.row(copy % distinct)
            for value in source {
                repeated.append(nearCopyNoise == 0 ? value : value * (1 + nearCopyNoise * generator.nextGaussian()))
            }
        }
        var values: [Float]
        switch placement {
        case .first: values = repeated + unique.values
        case .last: values = unique.values + repeated
        case .mixed:
            var rows = (0..<(uniqueRows + distinct * copies)).map { $0 }
            rows.shuffle(using: &generator)
            values = []
            values.reserveCapacity(rows.count * dimension)
            for row in rows {
                if row < uniqueRows {
                    values.append(contentsOf: unique.row(row))
                } else {
                    let start = (row - uniqueRows) * dimension
                    values.append(contentsOf: repeated[start..<(start + dimension)])
                }
            }
        }
        return VectorMatrix(rows: values.count / dimension, dimension: dimension, values: values)
    }

    /// Tie-aware recall@k: for each query, the fraction of its first `k` results (at most `k`) whose exact distance is
    /// within `tolerance` of the true `k`-th nearest distance or closer. A copy of a true neighbour counts the same
    /// as the neighbour, so an index is not marked down for returning one of several equal rows.
    public static func tieAwareRecall(
        results: [[Int32]], base: VectorMatrix<Float>, queries: VectorMatrix<Float>, k: Int, metric: DistanceMetric,
        tolerance: Double = 1e-5
    ) -> Double {
        let dimension = base.dimension
        var hits = 0
        base.values.withUnsafeBufferPointer { rows in
            queries.values.withUnsafeBufferPointer { queryRows in
                var distances = [Double](repeating: 0, count: base.rows)
                for (q, returned) in results.enumerated() {
                    let query = queryRows.baseAddress! + q * dimension
                    for row in 0..<base.rows {
                        distances[row] = distance(query, rows.baseAddress! + row * dimension, dimension, metric)
                    }
                    let kth = distances.sorted()[min(k, base.rows) - 1]
                    for slot in returned.prefix(k) where Int(slot) >= 0 && Int(slot) < base.rows {
                        if distances[Int(slot)] <= kth + tolerance { hits += 1 }
                    }
                }
            }
        }
        return Double(hits) / Double(max(1, results.count * k))
    }

    /// ``ExactNeighbors/distance(_:_:_:_:_:)`` on raw rows: the same Double-precision formulas, without slices, so
    /// a debug build measures 100 queries against 15,000 rows in well under a second.
    private static func distance(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ dimension: Int, _ metric: DistanceMetric
    ) -> Double {
        var dot = 0.0, squared = 0.0, normA = 0.0, normB = 0.0
        for i in 0..<dimension {
            let x = Double(a[i]), y = Double(b[i])
            dot += x * y
            normA += x * x
            normB += y * y
            squared += (x - y) * (x - y)
        }
        switch metric {
        case .cosine:
            guard normA > 0, normB > 0 else { return 1 }
            return 1 - min(max(dot / (normA * normB).squareRoot(), -1), 1)
        case .dot: return -dot
        case .l2: return squared.squareRoot()
        }
    }
}

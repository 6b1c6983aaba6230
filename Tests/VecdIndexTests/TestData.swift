import VecdBench
import VecdKernels
import VecdIndex
import VecdKernels

/// Seeded clustered data with exact ground truth, small enough for a debug build.
struct TestData {
    let base: VectorMatrix<Float>
    let queries: VectorMatrix<Float>
    let metric: DistanceMetric

    init(rows: Int, dimension: Int, queries queryCount: Int = 100, metric: DistanceMetric = .cosine,
         unitLength: Bool = false, seed: UInt64 = 0x7E57_0000) {
        var base = SyntheticVectors.clustered(rows: rows, dimension: dimension, clusters: 20, seed: seed)
        var queries = SyntheticVectors.clustered(rows: queryCount, dimension: dimension, clusters: 20, seed: seed | 1)
        if unitLength {
            for matrix in [0, 1] {
                var values = matrix == 0 ? base.values : queries.values
                values.withUnsafeMutableBufferPointer { buffer in
                    for start in stride(from: 0, to: buffer.count, by: dimension) {
                        normalize(buffer.baseAddress! + start, count: dimension)
                    }
                }
                if matrix == 0 { base.values = values } else { queries.values = values }
            }
        }
        self.base = base
        self.queries = queries
        self.metric = metric
    }

    func query(_ i: Int) -> [Float] { Array(queries.row(i)) }

    func truth(k: Int) -> VectorMatrix<Int32> {
        ExactNeighbors.compute(base: base, queries: queries, k: k, metric: metric)
    }

    func buildIndex(m: Int = 16, efConstruction: Int = 64, storage: VectorStorageMode = .float32,
                    threads: Int = 2) throws -> HNSWIndex {
        let index = try HNSWIndex(parameters: HNSWParameters(
            dimension: base.dimension, metric: metric, m: m, efConstruction: efConstruction, storage: storage))
        try base.values.withUnsafeBufferPointer { _ = try index.add($0, threads: threads) }
        return index
    }

    func recall(_ index: HNSWIndex, k: Int, efSearch: Int, truth: VectorMatrix<Int32>) throws -> Double {
        var returned: [[Int32]] = []
        for q in 0..<queries.rows {
            let result = try index.search(query(q), parameters: SearchParameters(k: k, efSearch: efSearch))
            returned.append(result.neighbors.map { Int32($0.slot) })
        }
        return ExactNeighbors.recall(results: returned, truth: truth, k: k)
    }
}

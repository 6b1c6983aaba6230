import Foundation
import VecdIndex
import VecdKernels

/// How `vecd bench dataset` grows a source set to more rows.
public enum GrowthMethod: String, CaseIterable, Sendable {
    /// Points on segments between a source row and one of its nearest source rows, plus a little noise
    /// (`NeighborMatchedExpansion.interpolate`).
    case interpolate
    /// Noisy copies of each source row (`NeighborMatchedExpansion.expand`): copies of one row are nearly equidistant
    /// from any query, so a query's true top-10 is a draw among ~20 tied copies.
    case noisyCopies = "noisy-copies"
}

/// Each source row's nearest other source rows, nearest first: the segments `interpolate` draws on.
public struct SourceNeighbors: Sendable {
    /// Neighbours per row.
    public var k: Int
    /// `rows × k` source row numbers.
    public var rows: [Int32]
    /// `rows × k` cosine distances, same order.
    public var distances: [Float]

    /// Row `row`'s nearest other row's distance.
    public func nearestDistance(_ row: Int) -> Float { distances[row * k] }
}

extension NeighborMatchedExpansion {
    /// Each row's `k` nearest other rows of `base`, from an HNSW walk (efSearch 200, recall ≈ 0.99 on debian-384):
    /// an exact scan of 50k × 50k would cost minutes, and a rare miss only swaps in the next neighbour.
    public static func sourceNeighbors(
        _ base: VectorMatrix<Float>, k: Int, metric: DistanceMetric, threads: Int
    ) throws -> SourceNeighbors {
        precondition(k >= 1 && base.rows > k, "need more source rows than neighbours")
        let index = try HNSWIndex(parameters: HNSWParameters(dimension: base.dimension, metric: metric))
        _ = try base.values.withUnsafeBufferPointer { try index.add($0, threads: threads) }
        var rows = [Int32](repeating: 0, count: base.rows * k)
        var distances = [Float](repeating: 0, count: base.rows * k)
        let search = SearchParameters(k: k + 1, efSearch: max(200, k + 1))
        for row in 0..<base.rows {
            let others = try index.search(Array(base.row(row)), parameters: search).neighbors
                .filter { Int($0.slot) != row }
            for column in 0..<k {
                // A walk that found fewer than k others repeats its last one (only on tiny or degenerate sets).
                let hit = others[min(column, others.count - 1)]
                rows[row * k + column] = Int32(hit.slot)
                distances[row * k + column] = hit.distance
            }
        }
        return SourceNeighbors(k: k, rows: rows, distances: distances)
    }

    /// `rows` unit vectors (cosine) grown from `base`: row j is anchored on source row a = j mod base.rows and lies on
    /// the segment from a towards one of a's `neighbors` b, x = normalize(a + t·(b − a)) with t uniform in
    /// [0, `reach`), plus Gaussian noise with σ² = `noiseScale` · r_a / (d(1 − r_a)) for a's nearest-neighbour
    /// distance r_a, then normalized again.
    ///
    /// Why segments: new rows spread along directions the data really has, so a query's nearest rows come from
    /// several sources at distinct distances, as real neighbours do; noisy copies of one row spread only into
    /// random directions, all at the same distance from any query. Why the noise: 20 rows per source on
    /// segments alone sit far closer to each other than the source's rows do; the noise puts them back at about
    /// the source's own nearest-neighbour distances (`noiseScale` is fitted to that, see BENCHMARKS.md §6).
    /// `reach` below 0.5 keeps each row nearer its anchor than the neighbour.
    public static func interpolate(
        _ base: VectorMatrix<Float>, to rows: Int, neighbors: SourceNeighbors, reach: Float, noiseScale: Float,
        seed: UInt64
    ) -> VectorMatrix<Float> {
        precondition(neighbors.rows.count == base.rows * neighbors.k)
        let dimension = base.dimension
        let sigmas = (0..<base.rows).map { row in
            NeighborMatchedExpansion.noiseSigma(
                neighborDistance: neighbors.nearestDistance(row), scale: noiseScale, dimension: dimension)
        }
        var values = [Float](repeating: 0, count: rows * dimension)
        var generator = SeededGenerator(seed: seed)
        values.withUnsafeMutableBufferPointer { output in
            for j in 0..<rows {
                let anchor = j % base.rows
                let partner = Int(neighbors.rows[anchor * neighbors.k + Int(generator.next() % UInt64(neighbors.k))])
                let t = Float.random(in: 0..<max(reach, .leastNonzeroMagnitude), using: &generator)
                let row = output.baseAddress! + j * dimension
                let a = base.row(anchor)
                let b = base.row(partner)
                for i in 0..<dimension {
                    let ai = a[a.startIndex + i]
                    row[i] = ai + t * (b[b.startIndex + i] - ai)
                }
                _ = normalize(row, count: dimension)
                let sigma = sigmas[anchor]
                for i in 0..<dimension { row[i] += sigma * generator.nextGaussian() }
                _ = normalize(row, count: dimension)
            }
        }
        return VectorMatrix(rows: rows, dimension: dimension, values: values)
    }
}

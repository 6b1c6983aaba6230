import Foundation
import VecdIndex
import VecdKernels

/// Grows a real embedding set (debian-384) to 100k–1M rows whose nearest-neighbour cosine distances follow the
/// original's. `expand` makes noisy copies of each source row, with noise scaled to that source's own
/// nearest-neighbour distance; `interpolate` (NeighborMatchedInterpolation.swift, the default of `vecd bench
/// dataset`) moves each new row towards one of its source row's nearest neighbours first, so that a query's
/// neighbours are not a tie among one row's copies.
///
/// Why per-source noise: for unit vectors, two copies `s + σg₁`, `s + σg₂` (g standard normal in d dimensions) lie
/// at cosine distance ≈ σ²d / (1 + σ²d), so σ² = r / (d(1 − r)) puts a source's copies at its own neighbour distance
/// r. A single σ for all rows would give every row the same neighbour distance (a spike), not the original's spread.
/// The originals themselves are not kept (a copy would sit at r/2 from its original).
public enum NeighborMatchedExpansion {
    /// The σ that puts a unit vector's noisy copies at cosine distance `r` from each other, times `scale`:
    /// σ² = scale · r / (d(1 − r)), with r clamped to [0, 0.9].
    static func noiseSigma(neighborDistance r: Float, scale: Float, dimension: Int) -> Float {
        let clamped = min(max(r, 0), 0.9)
        return (scale * clamped / (Float(dimension) * (1 - clamped))).squareRoot()
    }

    /// `rows` noisy copies of `base`'s rows (copy j of source j mod base.rows), unit length under cosine. The noise of
    /// source s has σ² = scale · r_s / (d(1 − r_s)) for its neighbour distance r_s (`scale` 1 aims at the same
    /// distribution; larger spreads the copies further).
    public static func expand(
        _ base: VectorMatrix<Float>, to rows: Int, neighborDistances: [Float], scale: Float, seed: UInt64
    ) -> VectorMatrix<Float> {
        precondition(neighborDistances.count == base.rows)
        let dimension = base.dimension
        let sigmas = neighborDistances.map { noiseSigma(neighborDistance: $0, scale: scale, dimension: dimension) }
        var values = [Float](repeating: 0, count: rows * dimension)
        var generator = SeededGenerator(seed: seed)
        values.withUnsafeMutableBufferPointer { output in
            for j in 0..<rows {
                let source = j % base.rows
                let sigma = sigmas[source]
                let start = j * dimension
                var i = 0
                for value in base.row(source) {
                    output[start + i] = value + sigma * generator.nextGaussian()
                    i += 1
                }
                normalize(output.baseAddress! + start, count: dimension)
            }
        }
        return VectorMatrix(rows: rows, dimension: dimension, values: values)
    }
}

/// Quantiles of a set of distances: how a data set's nearest-neighbour distribution is compared with another's.
public struct DistanceQuantiles: Codable, Sendable, Equatable {
    public var count: Int
    public var mean: Double
    public var p01: Double
    public var p10: Double
    public var p25: Double
    public var p50: Double
    public var p75: Double
    public var p90: Double
    public var p99: Double

    public init(_ distances: [Float]) {
        let sorted = distances.map(Double.init).sorted()
        count = sorted.count
        mean = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
        p01 = Percentile.of(sorted, 0.01)
        p10 = Percentile.of(sorted, 0.10)
        p25 = Percentile.of(sorted, 0.25)
        p50 = Percentile.of(sorted, 0.50)
        p75 = Percentile.of(sorted, 0.75)
        p90 = Percentile.of(sorted, 0.90)
        p99 = Percentile.of(sorted, 0.99)
    }

    /// One line: `mean … p10 … p50 … p90 … p99 …`.
    public var summary: String {
        String(format: "mean %.4f  p01 %.4f  p10 %.4f  p25 %.4f  p50 %.4f  p75 %.4f  p90 %.4f  p99 %.4f",
               mean, p01, p10, p25, p50, p75, p90, p99)
    }
}

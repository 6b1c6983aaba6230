import VecdKernels

/// A small, fast, seedable random number generator (SplitMix64), so generated data sets repeat exactly.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal sample (Box–Muller).
    public mutating func nextGaussian() -> Float {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
    }
}

/// Clustered Gaussian data: each vector is a random cluster centre plus noise, which gives HNSW a realistic
/// neighbourhood structure (uniform random vectors in high dimension have none).
public enum SyntheticVectors {
    /// `rows` vectors of `dimension` components around `clusters` centres; `spread` is the noise scale relative
    /// to the centres.
    public static func clustered(
        rows: Int, dimension: Int, clusters: Int = 100, spread: Float = 0.35, seed: UInt64
    ) -> VectorMatrix<Float> {
        var generator = SeededGenerator(seed: seed)
        // Centres depend only on the seed's high bits, so base and query sets drawn with nearby seeds share them.
        var centreGenerator = SeededGenerator(seed: seed & ~0xFFFF)
        var centres = [Float](repeating: 0, count: clusters * dimension)
        for i in centres.indices { centres[i] = centreGenerator.nextGaussian() }
        var values = [Float](repeating: 0, count: rows * dimension)
        for row in 0..<rows {
            let centre = Int(generator.next() % UInt64(clusters))
            for i in 0..<dimension {
                values[row * dimension + i] = centres[centre * dimension + i] + spread * generator.nextGaussian()
            }
        }
        return VectorMatrix(rows: rows, dimension: dimension, values: values)
    }
}

#if canImport(Glibc)
import Glibc
private func _log(_ x: Double) -> Double { Glibc.log(x) }
private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Darwin)
import Darwin
private func _log(_ x: Double) -> Double { Darwin.log(x) }
private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif

extension SyntheticVectors {
    /// Grows `base` to `rows` vectors: the originals first, then copies of random originals with Gaussian noise of
    /// standard deviation `noise` per component (re-normalized when the originals are unit length). Used to make
    /// 100k–1M sets whose neighbourhoods look like a real embedding set's.
    public static func expand(_ base: VectorMatrix<Float>, to rows: Int, noise: Float, seed: UInt64) -> VectorMatrix<Float> {
        guard rows > base.rows else { return base }
        var generator = SeededGenerator(seed: seed)
        let dimension = base.dimension
        var values = base.values
        values.reserveCapacity(rows * dimension)
        let firstNorm = base.row(0).reduce(0) { $0 + $1 * $1 }.squareRoot()
        let unitLength = abs(firstNorm - 1) < 1e-3
        var row = [Float](repeating: 0, count: dimension)
        for _ in base.rows..<rows {
            let source = Int(generator.next() % UInt64(base.rows))
            for i in 0..<dimension { row[i] = base.values[source * dimension + i] + noise * generator.nextGaussian() }
            if unitLength { _ = row.withUnsafeMutableBufferPointer { normalize($0.baseAddress!, count: dimension) } }
            values.append(contentsOf: row)
        }
        return VectorMatrix(rows: rows, dimension: dimension, values: values)
    }
}

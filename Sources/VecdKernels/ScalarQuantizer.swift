/// Per-dimension affine Int8 quantization: component `i` is stored as a code `c` in `-127...127` and read back as
/// `offset[i] + step[i] * c`.
///
/// A per-dimension range (rather than one scale per vector) matters for text embeddings: models such as e5 have a
/// few dimensions far larger than the rest, and a per-vector scale spends the 8 bits on those and rounds the others
/// away. The ranges are learned once from a sample (``init(training:dimension:)``); later values outside the range
/// clamp to its ends, so retrain (REINDEX) when the data drifts.
public struct ScalarQuantizer: Sendable, Equatable {
    /// Number of components per vector.
    public let dimension: Int
    /// Midpoint of each dimension's trained range.
    public private(set) var offsets: [Float]
    /// Width of one code step in each dimension (`range / 254`); never zero.
    public private(set) var steps: [Float]

    /// Learns each dimension's range from `training`, a row-major buffer of whole vectors.
    public init(training: UnsafeBufferPointer<Float>, dimension: Int) {
        precondition(dimension > 0 && training.count % dimension == 0, "training holds whole vectors")
        self.dimension = dimension
        var low = [Float](repeating: .infinity, count: dimension)
        var high = [Float](repeating: -.infinity, count: dimension)
        let rows = training.count / dimension
        for row in 0..<rows {
            for i in 0..<dimension {
                let value = training[row * dimension + i]
                low[i] = min(low[i], value)
                high[i] = max(high[i], value)
            }
        }
        if rows == 0 {
            low = [Float](repeating: -1, count: dimension)
            high = [Float](repeating: 1, count: dimension)
        }
        offsets = (0..<dimension).map { (low[$0] + high[$0]) / 2 }
        // A constant dimension still needs a positive step so that decoding never divides by zero.
        steps = (0..<dimension).map { max((high[$0] - low[$0]) / 254, .leastNormalMagnitude) }
    }

    /// Rebuilds a quantizer from stored offsets and steps (as read back from a segment file).
    public init(offsets: [Float], steps: [Float]) {
        precondition(offsets.count == steps.count && !offsets.isEmpty)
        self.dimension = offsets.count
        self.offsets = offsets
        self.steps = steps
    }

    /// Writes the codes of `vector` to `codes`.
    public func encode(_ vector: UnsafePointer<Float>, into codes: UnsafeMutablePointer<Int8>) {
        for i in 0..<dimension {
            let scaled = ((vector[i] - offsets[i]) / steps[i]).rounded()
            codes[i] = Int8(min(max(scaled, -127), 127))
        }
    }

    /// Writes the reconstructed Float32 vector of `codes` to `vector`.
    public func decode(_ codes: UnsafePointer<Int8>, into vector: UnsafeMutablePointer<Float>) {
        for i in 0..<dimension {
            vector[i] = offsets[i] + steps[i] * Float(codes[i])
        }
    }

    /// Prepares `query` for ``dotProduct(_:codes:count:)``: writes `query[i] * step[i]` to `scaledQuery` and returns
    /// the constant `query · offset`, so that `query · decode(c) = constant + scaledQuery · c`.
    public func prepare(query: UnsafePointer<Float>, into scaledQuery: UnsafeMutablePointer<Float>) -> Float {
        var constant: Float = 0
        for i in 0..<dimension {
            scaledQuery[i] = query[i] * steps[i]
            constant += query[i] * offsets[i]
        }
        return constant
    }
}

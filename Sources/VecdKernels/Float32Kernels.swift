import RealModule

// Each kernel is a plain loop whose additions are marked reassociable with `Relaxed`: LLVM then vectorizes it with
// several accumulators for whatever the build targets (AVX2+FMA under x86-64-v3, SSE2 in a baseline build, NEON on
// aarch64) and never emits calls to `fmaf`, which is what `addProduct` becomes in a baseline x86-64 build.
// The `switch` on the dimension gives 384 and 1536 (the common embedding sizes) fully unrolled loops with no tail.

/// Dot product of two Float32 vectors of `count` elements.
@inlinable
public func dotProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    switch count {
    case 384: return dotProductLoop(a, b, count: 384)
    case 768: return dotProductLoop(a, b, count: 768)
    case 1536: return dotProductLoop(a, b, count: 1536)
    default: return dotProductLoop(a, b, count: count)
    }
}

@inlinable @inline(__always)
func dotProductLoop(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var sum: Float = 0
    for i in 0..<count {
        sum = Relaxed.multiplyAdd(a[i], b[i], sum)
    }
    return sum
}

/// Squared Euclidean distance between two Float32 vectors of `count` elements.
@inlinable
public func squaredEuclideanDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    switch count {
    case 384: return squaredEuclideanLoop(a, b, count: 384)
    case 768: return squaredEuclideanLoop(a, b, count: 768)
    case 1536: return squaredEuclideanLoop(a, b, count: 1536)
    default: return squaredEuclideanLoop(a, b, count: count)
    }
}

@inlinable @inline(__always)
func squaredEuclideanLoop(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var sum: Float = 0
    for i in 0..<count {
        let d = a[i] - b[i]
        sum = Relaxed.multiplyAdd(d, d, sum)
    }
    return sum
}

/// Cosine distance `1 - a·b / (|a| |b|)` computed in one pass, clamped to `[0, 2]`.
///
/// Returns `1` when either vector is zero (see ``DistanceMetric/cosine``).
@inlinable
public func cosineDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var dot: Float = 0
    var normA: Float = 0
    var normB: Float = 0
    for i in 0..<count {
        dot = Relaxed.multiplyAdd(a[i], b[i], dot)
        normA = Relaxed.multiplyAdd(a[i], a[i], normA)
        normB = Relaxed.multiplyAdd(b[i], b[i], normB)
    }
    return cosineDistance(dot: dot, squaredNormA: normA, squaredNormB: normB)
}

/// Turns a dot product and two squared norms into a cosine distance, with vecd's zero-vector rule.
@inlinable @inline(__always)
public func cosineDistance(dot: Float, squaredNormA: Float, squaredNormB: Float) -> Float {
    // Two square roots rather than one of the product: the product of two large squared norms overflows Float32.
    let denominator = squaredNormA.squareRoot() * squaredNormB.squareRoot()
    guard denominator > 0, denominator.isFinite else { return 1 }
    let similarity = dot / denominator
    // Rounding can push |similarity| a hair past 1; pgvector clamps the same way.
    return 1 - min(max(similarity, -1), 1)
}

/// The distance under `metric` as reported to users (Euclidean, not squared, for ``DistanceMetric/l2``).
@inlinable
public func distance(
    _ metric: DistanceMetric, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int
) -> Float {
    switch metric {
    case .cosine: return cosineDistance(a, b, count: count)
    case .dot: return -dotProduct(a, b, count: count)
    case .l2: return squaredEuclideanDistance(a, b, count: count).squareRoot()
    }
}

/// Scales `vector` in place to unit length; a zero vector stays zero. Returns the original length (which may be
/// infinite for components near Float32's limit: the vector is then pre-scaled, and still comes out unit length).
@inlinable
@discardableResult
public func normalize(_ vector: UnsafeMutablePointer<Float>, count: Int) -> Float {
    var length = dotProduct(vector, vector, count: count).squareRoot()
    if !(length.isNormal && length.isFinite) {
        // The sum of squares overflowed or underflowed: divide by the largest magnitude first.
        var largest: Float = 0
        for i in 0..<count { largest = max(largest, abs(vector[i])) }
        guard largest > 0, largest.isFinite else { return length }
        for i in 0..<count { vector[i] /= largest }
        let scaled = dotProduct(vector, vector, count: count).squareRoot()
        length = scaled * largest
        for i in 0..<count { vector[i] /= scaled }
        return length
    }
    let inverse = 1 / length
    for i in 0..<count { vector[i] *= inverse }
    return length
}

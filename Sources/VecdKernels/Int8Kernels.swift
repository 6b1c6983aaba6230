import RealModule

// Int8 codes are widened before they are multiplied: Int32 for code·code products (exact; 127²·4096 fits easily)
// and Float32 for query·code products. Both loops vectorize on every target without library calls.

/// Dot product of two Int8 code vectors, exact in Int32.
@inlinable
public func dotProduct(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
    var sum: Int32 = 0
    for i in 0..<count {
        sum &+= Int32(a[i]) &* Int32(b[i])
    }
    return sum
}

/// Dot product of a Float32 vector with an Int8 code vector, accumulated in Float32.
@inlinable
public func dotProduct(_ a: UnsafePointer<Float>, codes b: UnsafePointer<Int8>, count: Int) -> Float {
    switch count {
    case 384: return codeDotLoop(a, b, count: 384)
    case 1536: return codeDotLoop(a, b, count: 1536)
    default: return codeDotLoop(a, b, count: count)
    }
}

@inlinable @inline(__always)
func codeDotLoop(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Int8>, count: Int) -> Float {
    var sum: Float = 0
    for i in 0..<count {
        sum = Relaxed.multiplyAdd(a[i], Float(Int32(b[i])), sum)
    }
    return sum
}

import CVecdPlatform
import RealModule

// Float16 is stored as raw IEEE binary16 bits (`UInt16`) and widened to Float32 lane by lane before it is
// accumulated. Where the target converts in hardware (F16C in x86-64-v3, aarch64), `Float(Float16)` vectorizes to
// one instruction per 8 lanes; elsewhere (a baseline x86-64 build) it would be a library call per element, so
// `halfToFloat` converts with integer arithmetic and one multiply, which vectorizes everywhere.
// `vecd_hardware_half_conversion()` is a compile-time constant from the C target, so the branch folds away.

/// Widens binary16 bits to Float32 with the fastest exact method the build target has.
@inlinable @inline(__always)
public func widenHalf(_ bits: UInt16) -> Float {
    if vecd_hardware_half_conversion() == 1 {
        return Float(Float16(bitPattern: bits))
    }
    return halfToFloat(bits)
}

/// Widens IEEE binary16 bits to a Float32, exactly (normals, subnormals, zeros, infinities and NaN).
@inlinable @inline(__always)
public func halfToFloat(_ bits: UInt16) -> Float {
    let magnitude = UInt32(bits & 0x7FFF)
    let sign = UInt32(bits & 0x8000) << 16
    // Shifting the exponent and mantissa into place gives the value scaled by 2^-112 (the exponent-bias
    // difference, 127 - 15); one multiply by 2^112 restores it, and also normalizes subnormals exactly.
    var scaled = Float(bitPattern: magnitude << 13) * 0x1p112
    if magnitude >= 0x7C00 {  // infinity or NaN: keep the payload, set the full exponent
        scaled = Float(bitPattern: (magnitude << 13) | 0x7F80_0000)
    }
    return Float(bitPattern: scaled.bitPattern | sign)
}

/// Rounds a Float32 to the nearest binary16 bit pattern (ties to even); out-of-range values become ±infinity.
@inlinable
public func floatToHalf(_ value: Float) -> UInt16 {
    Float16(value).bitPattern
}

/// Dot product of a Float32 query with a binary16 vector, accumulated in Float32.
@inlinable
public func dotProduct(_ a: UnsafePointer<Float>, half b: UnsafePointer<UInt16>, count: Int) -> Float {
    switch count {
    case 384: return halfDotLoop(a, b, count: 384)
    case 1536: return halfDotLoop(a, b, count: 1536)
    default: return halfDotLoop(a, b, count: count)
    }
}

@inlinable @inline(__always)
func halfDotLoop(_ a: UnsafePointer<Float>, _ b: UnsafePointer<UInt16>, count: Int) -> Float {
    var sum: Float = 0
    for i in 0..<count {
        sum = Relaxed.multiplyAdd(a[i], widenHalf(b[i]), sum)
    }
    return sum
}

/// Squared Euclidean distance between a Float32 query and a binary16 vector, accumulated in Float32.
@inlinable
public func squaredEuclideanDistance(_ a: UnsafePointer<Float>, half b: UnsafePointer<UInt16>, count: Int) -> Float {
    var sum: Float = 0
    for i in 0..<count {
        let d = a[i] - widenHalf(b[i])
        sum = Relaxed.multiplyAdd(d, d, sum)
    }
    return sum
}

/// A stable 64-bit hash for the offline embedder's features.
///
/// Swift's `Hasher` is seeded per process, so it cannot place a feature in the same dimension tomorrow; FNV-1a is
/// fixed forever, and the SplitMix64 finaliser spreads FNV's weak low bits, which choose the dimension.
struct FeatureHash: Equatable {
    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    private(set) var state: UInt64

    /// Starts a hash in `namespace`, so a word and a character n-gram with the same letters land apart.
    init(namespace: UInt8) {
        state = Self.offsetBasis
        combine(byte: namespace)
    }

    mutating func combine(byte: UInt8) {
        state = (state ^ UInt64(byte)) &* Self.prime
    }

    /// Mixes a Unicode scalar in as its four little-endian bytes (ASCII text takes the one-byte path).
    mutating func combine(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        if value < 0x80 {
            combine(byte: UInt8(value))
            return
        }
        combine(byte: UInt8(truncatingIfNeeded: value))
        combine(byte: UInt8(truncatingIfNeeded: value >> 8))
        combine(byte: UInt8(truncatingIfNeeded: value >> 16))
        combine(byte: 0xFF)  // marks a wide scalar, so it cannot collide with a run of ASCII bytes
    }

    mutating func combine(_ other: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { combine(byte: UInt8(truncatingIfNeeded: other >> UInt64(shift))) }
    }

    /// The finished, well-mixed value (SplitMix64's finaliser).
    var value: UInt64 {
        var z = state &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The hash of a whole word, as the stop-word and rarity tables key it.
    static func word<S: Sequence<Unicode.Scalar>>(_ scalars: S) -> UInt64 {
        var hash = FeatureHash(namespace: 0)
        for scalar in scalars { hash.combine(scalar) }
        return hash.value
    }
}

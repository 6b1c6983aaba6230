/// A JSON number token read by ``JSONByteScanner``: up to 19 significant digits and a decimal exponent, plus the token
/// text for the cases the fast conversions leave to the C library.
///
/// Conversions return nil where `JSONDecoder` refuses the number (non-finite results, underflow to zero) or where this
/// type cannot be sure to produce the same value, so the caller falls back to the Codable path.
struct JSONDecimal {
    var isNegative = false
    /// The first 19 significant digits as an integer (leading zeros are not significant).
    var significand: UInt64 = 0
    var significantDigitCount = 0
    /// Power of ten applied to `significand`.
    var exponent = 0
    /// Whether significant digits beyond the 19th were dropped.
    var isTruncated = false
    var hasFraction = false
    var hasExponent = false
    var token = UnsafeRawBufferPointer(start: nil, count: 0)

    /// 10^0 ... 10^22: every one is exact in a Double (5^22 < 2^53), which makes one multiply or divide correctly
    /// rounded (Clinger's fast path).
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ]

    mutating func addDigit(_ byte: UInt8, isFraction: Bool) {
        let digit = UInt64(byte &- UInt8(ascii: "0"))
        if significand == 0 && digit == 0 {
            if isFraction { exponent -= 1 }
            return
        }
        if significantDigitCount < 19 {
            significand = significand &* 10 &+ digit
            significantDigitCount += 1
            if isFraction { exponent -= 1 }
        } else {
            isTruncated = true
            if !isFraction { exponent += 1 }
        }
    }

    /// The integer, when the token is one (no fraction, no exponent) and fits comfortably; nil otherwise.
    var intValue: Int? {
        guard !hasFraction, !hasExponent, !isTruncated, significantDigitCount <= 18 else { return nil }
        let magnitude = Int(significand)
        return isNegative ? -magnitude : magnitude
    }

    /// The nearest Double (`strtod`); nil for non-finite results and underflow to zero.
    var doubleValue: Double? {
        guard let value = Double(tokenText) else { return nil }
        return Self.acceptable(value, significand: significand) ? value : nil
    }

    /// The nearest Float, exactly as `strtof` rounds the decimal; nil for non-finite results and underflow to zero.
    var floatValue: Float? {
        if significand == 0 {
            // JSONDecoder refuses some zeros with an exponent (`0e5`); those are its call.
            return hasExponent ? nil : (isNegative ? -0.0 : 0.0)
        }
        if let fast = fastFloatValue { return fast }
        guard let value = Float(tokenText) else { return nil }
        return Self.acceptable(value, significand: significand) ? value : nil
    }

    /// The Float through one Double operation, when that provably rounds like `strtof`.
    ///
    /// `significand` converts to Double within half an ulp and the scaling by an exact power of ten adds another half,
    /// so the Double lies within about 1 ulp of the decimal. Rounding it to Float then agrees with rounding the
    /// decimal unless it sits within that distance of a midpoint between two Floats, which is the low 29 of its 52
    /// fraction bits being 2^28. Those ties, Float subnormals and overflow go to `strtof`.
    private var fastFloatValue: Float? {
        guard !isTruncated, exponent >= -22, exponent <= 22 else { return nil }
        var value = Double(significand)
        if exponent >= 0 {
            value *= Self.exactPowersOfTen[exponent]
        } else {
            value /= Self.exactPowersOfTen[-exponent]
        }
        guard value >= Double(Float.leastNormalMagnitude), value <= Double(Float.greatestFiniteMagnitude) else {
            return nil
        }
        let droppedBits = value.bitPattern & (1 << 29 - 1)
        let midpoint: UInt64 = 1 << 28
        let distance = droppedBits > midpoint ? droppedBits - midpoint : midpoint - droppedBits
        // 8 Double ulps of margin against the at most ~2 the two roundings above can add.
        guard distance > 8 else { return nil }
        let rounded = Float(value)
        return isNegative ? -rounded : rounded
    }

    private var tokenText: String { String(decoding: token, as: UTF8.self) }

    /// `JSONDecoder` refuses a number that is not finite or that underflows to zero.
    private static func acceptable<F: BinaryFloatingPoint>(_ value: F, significand: UInt64) -> Bool {
        value.isFinite && (value != 0 || significand == 0)
    }
}

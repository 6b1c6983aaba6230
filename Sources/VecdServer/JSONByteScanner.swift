/// A forward-only reader over the bytes of a JSON body: the lexer of ``StrictJSON`` (every request body) and of the
/// search route's fast path.
///
/// It understands strict RFC 8259 tokens only. The fast-path reads (``plainString()``, ``number()``) give up (return
/// nil) on anything they do not read exactly: escapes in strings, invalid UTF-8, number forms outside the strict
/// grammar. The caller then parses the same bytes with ``StrictJSON``, so a client never sees an answer or an error
/// that the Codable path would not have given.
struct JSONByteScanner: ~Copyable {
    private let bytes: UnsafeRawBufferPointer
    private(set) var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { position == bytes.count }

    /// The next byte after whitespace, without consuming it; nil at the end.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    /// Consumes `byte` after whitespace; false (consuming nothing else) when another byte comes next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    /// Consumes the literal `null`.
    mutating func consumeNull() -> Bool {
        guard peek() == UInt8(ascii: "n"), position + 4 <= bytes.count, bytes[position + 1] == UInt8(ascii: "u"),
            bytes[position + 2] == UInt8(ascii: "l"), bytes[position + 3] == UInt8(ascii: "l")
        else { return false }
        position += 4
        return true
    }

    /// Consumes `literal` (`true`, `false`) after whitespace.
    mutating func consumeLiteral(_ literal: StaticString) -> Bool {
        skipWhitespace()
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let matches = literal.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[position + $0] == expected[$0] }
        }
        if matches { position += count }
        return matches
    }

    /// Why ``string()`` refused a string, and where (nil: at its opening quote).
    struct StringFailure: Error {
        var offset: Int?
        var reason: String
    }

    /// Any JSON string, escapes decoded, positioned after its closing quote; refuses raw control characters,
    /// unknown escapes, unpaired UTF-16 surrogates and invalid UTF-8.
    mutating func string() -> Result<String, StringFailure> {
        guard consume(UInt8(ascii: "\"")) else { return .failure(StringFailure(reason: "expected a string")) }
        let start = position
        var decoded: [UInt8] = []
        var copiedUpTo = start
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text: String?
                if copiedUpTo == start {
                    // No escapes: the common case, validated in place.
                    text = String(
                        validating: UnsafeRawBufferPointer(rebasing: bytes[start..<position]).bindMemory(to: UInt8.self),
                        as: UTF8.self)
                } else {
                    decoded.append(contentsOf: bytes[copiedUpTo..<position])
                    text = String(validating: decoded, as: UTF8.self)
                }
                position += 1
                guard let text else {
                    return .failure(StringFailure(offset: start, reason: "a string that is not valid UTF-8"))
                }
                return .success(text)
            }
            if byte < 0x20 {
                return .failure(StringFailure(offset: position, reason: "a raw control character in a string"))
            }
            if byte == UInt8(ascii: "\\") {
                decoded.append(contentsOf: bytes[copiedUpTo..<position])
                let escape = position
                position += 1
                guard position < bytes.count else { break }
                let letter = bytes[position]
                position += 1
                switch letter {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(letter)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else {
                        return .failure(
                            StringFailure(offset: escape, reason: "a \\u escape that is not a Unicode scalar"))
                    }
                    UTF8.encode(scalar) { decoded.append($0) }
                default:
                    return .failure(StringFailure(offset: escape, reason: "an unknown escape in a string"))
                }
                copiedUpTo = position
                continue
            }
            position += 1
        }
        return .failure(StringFailure(offset: start, reason: "a string without its closing quote"))
    }

    /// The scalar of `XXXX` (after `\\u`), joining a surrogate pair written as two escapes.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let high = hexQuad() else { return nil }
        if high < 0xD800 || high > 0xDFFF { return Unicode.Scalar(high) }
        guard high < 0xDC00, position + 2 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
            bytes[position + 1] == UInt8(ascii: "u")
        else { return nil }
        position += 2
        guard let low = hexQuad(), (0xDC00...0xDFFF).contains(low) else { return nil }
        return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    }

    private mutating func hexQuad() -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position] | 0x20
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// The raw bytes of a string without escapes or control characters, positioned after its closing quote.
    mutating func plainStringBytes() -> UnsafeRawBufferPointer? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return UnsafeRawBufferPointer(rebasing: bytes[start..<position - 1])
            }
            // An escape or a raw control character (invalid JSON): the Codable path decides.
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            position += 1
        }
        return nil
    }

    /// A string without escapes, as Swift text; nil for escapes, control characters or invalid UTF-8.
    mutating func plainString() -> String? {
        guard let raw = plainStringBytes() else { return nil }
        return String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self)
    }

    /// A number token in strict JSON grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    mutating func number() -> JSONDecimal? {
        skipWhitespace()
        let start = position
        var decimal = JSONDecimal()
        if position < bytes.count && bytes[position] == UInt8(ascii: "-") {
            decimal.isNegative = true
            position += 1
        }
        guard position < bytes.count, isDigit(bytes[position]) else { return nil }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            // A leading zero followed by a digit is not JSON.
            if position < bytes.count && isDigit(bytes[position]) { return nil }
        } else {
            while position < bytes.count, isDigit(bytes[position]) {
                decimal.addDigit(bytes[position], isFraction: false)
                position += 1
            }
        }
        if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
            decimal.hasFraction = true
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { return nil }
            while position < bytes.count, isDigit(bytes[position]) {
                decimal.addDigit(bytes[position], isFraction: true)
                position += 1
            }
        }
        if position < bytes.count && (bytes[position] | 0x20) == UInt8(ascii: "e") {
            decimal.hasExponent = true
            position += 1
            var exponentIsNegative = false
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                exponentIsNegative = bytes[position] == UInt8(ascii: "-")
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else { return nil }
            var exponent = 0
            while position < bytes.count, isDigit(bytes[position]) {
                // Beyond this no Float or Double is finite and non-zero; the slow path sorts it out.
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[position] &- UInt8(ascii: "0")) }
                position += 1
            }
            decimal.exponent += exponentIsNegative ? -exponent : exponent
        }
        decimal.token = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
        return decimal
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): position += 1
            default: return
            }
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
}

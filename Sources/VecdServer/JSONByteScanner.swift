/// A forward-only reader over the bytes of a JSON body for the hot request shapes.
///
/// It understands strict JSON tokens only, and gives up (returns nil) on anything it does not read exactly: escapes in
/// strings, invalid UTF-8, number forms outside the strict grammar, values it cannot reproduce bit for bit. The caller
/// then decodes the same bytes with `JSONDecoder`, so a client never sees an answer or an error that the Codable path
/// would not have given.
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

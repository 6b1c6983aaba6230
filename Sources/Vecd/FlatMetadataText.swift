/// Reads the stored metadata text of the common flat shape — `{"key":value,…}` with plain strings, integers, booleans
/// and null, as JSONEncoder wrote it — without JSONDecoder, which a search otherwise runs for every hit's chunk.
///
/// Anything else (nesting, escapes, fractions, exponents, whitespace, repeated keys, `-0`, integers of 16 or more
/// digits) returns nil and the caller decodes with JSONDecoder, so the result is always the one JSONDecoder gives.
enum FlatMetadataText {
    static func parse(_ text: String) -> Metadata? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Metadata? {
        var position = 0
        func next() -> UInt8? { position < bytes.count ? bytes[position] : nil }
        func plainString() -> String? {
            guard next() == UInt8(ascii: "\"") else { return nil }
            position += 1
            let start = position
            while let byte = next() {
                if byte == UInt8(ascii: "\"") {
                    position += 1
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position - 1]), as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                position += 1
            }
            return nil
        }
        func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard position + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return false }
            position += count
            return true
        }
        func integer() -> Double? {
            let start = position
            if next() == UInt8(ascii: "-") { position += 1 }
            let digitsStart = position
            while let byte = next(), byte &- UInt8(ascii: "0") < 10 { position += 1 }
            let digitCount = position - digitsStart
            // Up to 15 digits every integer is exact in a Double; a leading zero is JSON only as "0" itself.
            guard digitCount > 0, digitCount <= 15,
                digitCount == 1 || bytes[digitsStart] != UInt8(ascii: "0")
            else { return nil }
            var magnitude = 0
            for index in digitsStart..<position { magnitude = magnitude * 10 + Int(bytes[index] &- UInt8(ascii: "0")) }
            if start != digitsStart {
                // JSONDecoder's "-0" is left to JSONDecoder.
                guard magnitude != 0 else { return nil }
                return -Double(magnitude)
            }
            return Double(magnitude)
        }
        func value() -> JSONValue? {
            switch next() {
            case UInt8(ascii: "\""): return plainString().map(JSONValue.string)
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            default:
                // A fraction or exponent after the digits makes the number one this reader leaves alone.
                guard let number = integer(), next() == UInt8(ascii: ",") || next() == UInt8(ascii: "}") else {
                    return nil
                }
                return .number(number)
            }
        }

        guard next() == UInt8(ascii: "{") else { return nil }
        position += 1
        var members: Metadata = [:]
        if next() == UInt8(ascii: "}") {
            position += 1
            return position == bytes.count ? members : nil
        }
        while true {
            guard let key = plainString(), next() == UInt8(ascii: ":") else { return nil }
            position += 1
            guard let member = value(), members.updateValue(member, forKey: key) == nil else { return nil }
            if next() == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard next() == UInt8(ascii: "}") else { return nil }
            position += 1
            return position == bytes.count ? members : nil
        }
    }
}

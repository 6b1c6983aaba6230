import NIOCore
import Vecd

/// Writes JSON into a `ByteBuffer` in exactly the bytes `JSONWire.encode` (JSONEncoder with `.sortedKeys` and
/// `.withoutEscapingSlashes`) produces for the same values, for the answers hot enough to skip Codable.
///
/// Byte equality is the contract (tests compare against JSONEncoder): strings escape `"`, `\` and control characters
/// (short forms for `\b \t \n \f \r`, lowercase `\u00xx` for the rest, nothing else); numbers print Swift's shortest
/// round-trip `description` without a trailing `.0`; object keys are sorted by their UTF-8 bytes. A non-finite
/// number makes the writer fail, so the caller can let JSONEncoder report it as before.
struct JSONByteWriter {
    private(set) var buffer: ByteBuffer
    /// Set when a value had no JSON form (NaN or infinity).
    private(set) var failed = false

    init(capacity: Int) { buffer = ByteBufferAllocator().buffer(capacity: capacity) }

    /// Literal JSON text, such as a key with its colon.
    mutating func raw(_ text: StaticString) { buffer.writeStaticString(text) }

    mutating func null() { buffer.writeStaticString("null") }

    mutating func bool(_ value: Bool) { buffer.writeStaticString(value ? "true" : "false") }

    mutating func integer(_ value: some BinaryInteger) { buffer.writeString(String(value)) }

    mutating func number(_ value: Double) {
        guard value.isFinite else {
            failed = true
            return
        }
        writeTrimmingPointZero(value.description)
    }

    mutating func number(_ value: Float) {
        guard value.isFinite else {
            failed = true
            return
        }
        writeTrimmingPointZero(value.description)
    }

    mutating func string(_ value: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        if value.utf8.contains(where: Self.needsEscape) {
            for byte in value.utf8 { escaped(byte) }
        } else {
            buffer.writeString(value)
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    mutating func optionalString(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    mutating func optionalNumber(_ value: Double?) {
        if let value { number(value) } else { null() }
    }

    mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let number): self.number(number)
        case .string(let text): string(text)
        case .array(let values):
            buffer.writeInteger(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                self.value(element)
            }
            buffer.writeInteger(UInt8(ascii: "]"))
        case .object(let members): object(members)
        }
    }

    mutating func object(_ members: [String: JSONValue]) {
        buffer.writeInteger(UInt8(ascii: "{"))
        // JSONEncoder orders keys by their UTF-8 bytes, not by Swift's canonical-equivalence ordering of `String`.
        let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for (index, key) in keys.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            string(key)
            buffer.writeInteger(UInt8(ascii: ":"))
            // The key came from `members`, so the lookup cannot miss.
            value(members[key] ?? .null)
        }
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    private mutating func writeTrimmingPointZero(_ text: String) {
        // JSONEncoder prints integral values without the ".0" that `description` adds (1.0 → 1, but 1e+16 stays).
        if text.utf8.count >= 2 && text.hasSuffix(".0") {
            buffer.writeString(String(text.dropLast(2)))
        } else {
            buffer.writeString(text)
        }
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private mutating func escaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
        case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
        case 0x08: buffer.writeStaticString("\\b")
        case 0x09: buffer.writeStaticString("\\t")
        case 0x0A: buffer.writeStaticString("\\n")
        case 0x0C: buffer.writeStaticString("\\f")
        case 0x0D: buffer.writeStaticString("\\r")
        case 0..<0x20:
            // Below 0x20 the high digit is 0 or 1 and the low one any of 0-9 a-f, lowercase as JSONEncoder writes it.
            let low = byte & 0x0F
            buffer.writeStaticString(byte < 0x10 ? "\\u000" : "\\u001")
            buffer.writeInteger(low < 10 ? UInt8(ascii: "0") + low : UInt8(ascii: "a") + low - 10)
        default: buffer.writeInteger(byte)
        }
    }
}

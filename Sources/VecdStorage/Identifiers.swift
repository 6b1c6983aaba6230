/// The position of a record in the write-ahead log: 1 for the first record ever written, then each record one more
/// than the one before (across WAL files, with no gaps). 0 means "nothing".
public struct SequenceNumber: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// Before every record.
    public static let zero = SequenceNumber(0)

    /// The sequence number after this one.
    public var next: SequenceNumber { SequenceNumber(rawValue + 1) }

    public static func < (a: SequenceNumber, b: SequenceNumber) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
}

/// A vector's external id as the application gives it: a 64-bit number, or an opaque byte string (a UUID, a hash).
public enum VectorID: Hashable, Sendable, CustomStringConvertible {
    case number(UInt64)
    case bytes([UInt8])

    /// Longest byte-string id the formats accept (an id is a key, not a document).
    public static let maxByteCount = 1024

    /// The id kind byte of the WAL and segment formats: 0 number, 1 bytes.
    var kindCode: UInt8 {
        switch self {
        case .number: return 0
        case .bytes: return 1
        }
    }

    /// The id's bytes as stored: a number as 8 little-endian bytes.
    var storedBytes: [UInt8] {
        switch self {
        case .number(let value): return withUnsafeBytes(of: value.littleEndian) { Array($0) }
        case .bytes(let bytes): return bytes
        }
    }

    public var description: String {
        switch self {
        case .number(let value): return String(value)
        case .bytes(let bytes): return "0x" + bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        }
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

/// Builds a little-endian byte image field by field; every vecd file is little-endian whatever the host.
public struct ByteWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// Number of bytes written so far.
    public var count: Int { bytes.count }

    public mutating func append(_ value: UInt8) { bytes.append(value) }
    public mutating func append(_ value: UInt16) { appendLittleEndian(value) }
    public mutating func append(_ value: UInt32) { appendLittleEndian(value) }
    public mutating func append(_ value: UInt64) { appendLittleEndian(value) }
    public mutating func append(_ value: Float) { appendLittleEndian(value.bitPattern) }
    public mutating func append(contentsOf other: some Sequence<UInt8>) { bytes.append(contentsOf: other) }
    public mutating func append(contentsOf raw: UnsafeRawBufferPointer) { bytes.append(contentsOf: raw) }

    /// Appends `count` zero bytes (reserved fields, padding).
    public mutating func appendZeros(_ count: Int) { bytes.append(contentsOf: repeatElement(0, count: count)) }

    /// Pads with zeros until the length is a multiple of `alignment`.
    public mutating func pad(toMultipleOf alignment: Int) {
        appendZeros((alignment - bytes.count % alignment) % alignment)
    }

    /// Overwrites the four bytes at `offset` (a checksum or length known only at the end).
    public mutating func set(_ value: UInt32, at offset: Int) {
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
    }

    private mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Reads little-endian fields from a byte image, throwing ``StorageError/Code/corrupt`` (naming the file and offset)
/// instead of reading past the end.
public struct ByteReader {
    /// The bytes being read; the caller keeps them alive.
    public let buffer: UnsafeRawBufferPointer
    /// The file the bytes came from, for error messages.
    public let path: String
    /// Offset of `buffer[0]` in the file, so that errors report file offsets.
    public let baseOffset: Int
    /// The next byte to read.
    public var position: Int = 0

    public init(_ buffer: UnsafeRawBufferPointer, path: String, baseOffset: Int = 0) {
        self.buffer = buffer
        self.path = path
        self.baseOffset = baseOffset
    }

    /// Bytes left to read.
    public var remaining: Int { buffer.count - position }

    public mutating func readUInt8() throws(StorageError) -> UInt8 { try read(UInt8.self) }
    public mutating func readUInt16() throws(StorageError) -> UInt16 { try read(UInt16.self) }
    public mutating func readUInt32() throws(StorageError) -> UInt32 { try read(UInt32.self) }
    public mutating func readUInt64() throws(StorageError) -> UInt64 { try read(UInt64.self) }
    public mutating func readFloat() throws(StorageError) -> Float { Float(bitPattern: try read(UInt32.self)) }

    /// The next `count` bytes, without copying.
    public mutating func readBytes(_ count: Int) throws(StorageError) -> UnsafeRawBufferPointer {
        try require(count)
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: buffer[position..<position + count])
    }

    /// Reads `count` bytes that a reserved field must hold as zeros.
    public mutating func readReserved(_ count: Int, field: String) throws(StorageError) {
        let start = position
        let bytes = try readBytes(count)
        guard bytes.allSatisfy({ $0 == 0 }) else {
            throw .corrupt(path, offset: baseOffset + start, "reserved field \(field) must be zero")
        }
    }

    private mutating func read<T: FixedWidthInteger>(_ type: T.Type) throws(StorageError) -> T {
        try require(MemoryLayout<T>.size)
        defer { position += MemoryLayout<T>.size }
        return T(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: T.self))
    }

    private func require(_ count: Int) throws(StorageError) {
        guard count >= 0, count <= remaining else {
            throw .corrupt(
                path, offset: baseOffset + position,
                "expected \(count) more bytes, the data ends after \(max(remaining, 0))")
        }
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for bodies that throw ``StorageError`` (the standard one only rethrows untyped errors).
    func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws(StorageError) -> T) throws(StorageError) -> T {
        try withUnsafeBytes { raw in Result { () throws(StorageError) in try body(raw) } }.get()
    }
}

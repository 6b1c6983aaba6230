/// The byte layout of write-ahead log files (`formats/wal.md`): a 32-byte file header, then records of a 20-byte
/// header and a payload, back to back.
enum WALFormat {
    /// "VECDWAL" and a zero byte.
    static let magic: [UInt8] = Array("VECDWAL".utf8) + [0]
    static let majorVersion: UInt16 = 1
    static let minorVersion: UInt16 = 0
    static let fileHeaderByteCount = 32
    static let recordHeaderByteCount = 20
    /// Largest payload a record may carry; a length above it can only be damage (a vector of 16,000 dimensions is
    /// 64 KB; opaque batches of the layers above stay far below this).
    static let maxPayloadByteCount = 64 << 20

    /// The file holding records from `first` on: `wal-<16 hex digits>.log`, so names sort in sequence order.
    static func fileName(firstSequence first: SequenceNumber) -> String {
        "wal-" + String(first.rawValue, radix: 16).leftPadded(to: 16) + ".log"
    }

    /// The first sequence number encoded in a WAL file name, or nil for names that are not WAL files.
    static func firstSequence(fileName name: String) -> SequenceNumber? {
        guard name.hasPrefix("wal-"), name.hasSuffix(".log"), name.count == 24 else { return nil }
        return UInt64(name.dropFirst(4).prefix(16), radix: 16).map { SequenceNumber($0) }
    }

    static func encodeFileHeader(firstSequence: SequenceNumber) -> [UInt8] {
        var writer = ByteWriter(capacity: fileHeaderByteCount)
        writer.append(contentsOf: magic)
        writer.append(majorVersion)
        writer.append(minorVersion)
        writer.append(UInt32(fileHeaderByteCount))
        writer.append(firstSequence.rawValue)
        writer.appendZeros(4)
        writer.append(CRC32C.checksum(writer.bytes))
        return writer.bytes
    }

    /// Validates a file header and returns the first sequence number it names.
    static func decodeFileHeader(_ bytes: UnsafeRawBufferPointer, path: String) throws(StorageError) -> SequenceNumber {
        guard bytes.count >= fileHeaderByteCount else {
            throw .corrupt(path, offset: 0, "WAL file of \(bytes.count) bytes is shorter than its 32-byte header")
        }
        guard Array(bytes[0..<8]) == magic else {
            throw .corrupt(path, offset: 0, "not a vecd WAL file (magic is not VECDWAL)")
        }
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[0..<fileHeaderByteCount]), path: path)
        _ = try reader.readBytes(8)
        let major = try reader.readUInt16()
        _ = try reader.readUInt16()  // minor versions only add meaning to reserved bytes; any is readable
        let stored = bytes.loadUnaligned(fromByteOffset: 28, as: UInt32.self).littleEndian
        let computed = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<28]))
        guard stored == computed else {
            throw .corrupt(
                path, offset: 0, "WAL file header checksum mismatch (stored \(hex(stored)), computed \(hex(computed)))")
        }
        guard major <= majorVersion else {
            throw StorageError(
                code: .versionTooNew, path: path, offset: 8,
                detail: "WAL format version \(major) is newer than this vecd reads (\(majorVersion)); upgrade vecd")
        }
        guard major == majorVersion else { throw .corrupt(path, offset: 8, "WAL format version \(major) is unknown") }
        let headerSize = try reader.readUInt32()
        guard headerSize == UInt32(fileHeaderByteCount) else {
            throw .corrupt(path, offset: 12, "WAL header size \(headerSize), expected \(fileHeaderByteCount)")
        }
        let first = SequenceNumber(try reader.readUInt64())
        try reader.readReserved(4, field: "walHeader.reserved")
        return first
    }

    /// The framed bytes of one record.
    static func encodeRecord(sequence: SequenceNumber, type: UInt8, payload: [UInt8], into writer: inout ByteWriter) {
        let start = writer.count
        writer.append(UInt32(payload.count))
        writer.append(UInt32(0))  // checksum, set below
        writer.append(sequence.rawValue)
        writer.append(type)
        writer.appendZeros(3)
        writer.append(contentsOf: payload)
        let crc = writer.bytes.withUnsafeBytes { raw in
            let length = CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[start..<start + 4]))
            return CRC32C.update(length, UnsafeRawBufferPointer(rebasing: raw[(start + 8)...]))
        }
        writer.set(crc, at: start + 4)
    }

    /// A record framed at some offset of a WAL file whose header fields and checksum are sound.
    struct Frame {
        var sequence: SequenceNumber
        var type: UInt8
        var payloadOffset: Int
        var byteCount: Int
    }

    /// The record at `offset` if it is whole and its checksum matches; nil otherwise (torn or damaged).
    static func frame(at offset: Int, in bytes: UnsafeRawBufferPointer) -> Frame? {
        guard bytes.count - offset >= recordHeaderByteCount else { return nil }
        let length = Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
        guard length <= maxPayloadByteCount, length <= bytes.count - offset - recordHeaderByteCount else { return nil }
        let stored = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self).littleEndian
        let end = offset + recordHeaderByteCount + length
        let lengthCRC = CRC32C.update(0, UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 4]))
        guard CRC32C.update(lengthCRC, UnsafeRawBufferPointer(rebasing: bytes[offset + 8..<end])) == stored else {
            return nil
        }
        // Reserved bytes are under the checksum, so non-zero ones come from a newer writer, not damage.
        return Frame(
            sequence: SequenceNumber(bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self).littleEndian),
            type: bytes[offset + 16], payloadOffset: offset + recordHeaderByteCount,
            byteCount: recordHeaderByteCount + length)
    }
}

/// `0x` and eight hex digits.
func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16).leftPadded(to: 8) }

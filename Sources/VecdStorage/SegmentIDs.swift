/// The external ids of a segment's slots, in slot order (the decoded `ids` block, `formats/segment.md`).
public enum SegmentIDs: Equatable, Sendable {
    /// 64-bit numeric ids.
    case numbers([UInt64])
    /// Byte-string ids (each at most ``VectorID/maxByteCount`` bytes).
    case bytes([[UInt8]])

    /// Number of ids.
    public var count: Int {
        switch self {
        case .numbers(let ids): return ids.count
        case .bytes(let ids): return ids.count
        }
    }

    /// The id of `slot`.
    public subscript(slot: Int) -> VectorID {
        switch self {
        case .numbers(let ids): return .number(ids[slot])
        case .bytes(let ids): return .bytes(ids[slot])
        }
    }

    /// The block's raw (uncompressed) bytes: kind u32 (0 numbers, 1 bytes), reserved u32, count u64, then for
    /// numbers `count` UInt64, for bytes `count + 1` UInt64 end offsets (starting with 0) and the concatenated bytes.
    func encoded() -> [UInt8] {
        var writer = ByteWriter()
        switch self {
        case .numbers(let ids):
            writer.append(UInt32(0))
            writer.append(UInt32(0))
            writer.append(UInt64(ids.count))
            for id in ids { writer.append(id) }
        case .bytes(let ids):
            writer.append(UInt32(1))
            writer.append(UInt32(0))
            writer.append(UInt64(ids.count))
            var end: UInt64 = 0
            writer.append(end)
            for id in ids {
                end += UInt64(id.count)
                writer.append(end)
            }
            for id in ids { writer.append(contentsOf: id) }
        }
        return writer.bytes
    }

    static func decode(_ raw: UnsafeRawBufferPointer, expectedCount: Int, path: String, offset: Int)
        throws(StorageError) -> SegmentIDs
    {
        var reader = ByteReader(raw, path: path, baseOffset: offset)
        let kind = try reader.readUInt32()
        try reader.readReserved(4, field: "ids.reserved")
        let count = try reader.readUInt64()
        guard count == UInt64(expectedCount) else {
            throw .corrupt(path, offset: offset + 8, "id map holds \(count) ids for \(expectedCount) rows")
        }
        switch kind {
        case 0:
            guard reader.remaining == expectedCount * 8 else {
                throw .corrupt(path, offset: offset, "numeric id map of \(raw.count) bytes for \(expectedCount) rows")
            }
            // One copy of the little-endian words (the host is little-endian; see SegmentHeader).
            let words = try reader.readBytes(expectedCount * 8)
            let ids = [UInt64](unsafeUninitializedCapacity: expectedCount) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: words)
                initialized = expectedCount
            }
            return .numbers(ids)
        case 1:
            var ends = [Int](repeating: 0, count: expectedCount + 1)
            for i in 0...expectedCount { ends[i] = Int(truncatingIfNeeded: try reader.readUInt64()) }
            let data = try reader.readBytes(reader.remaining)
            var ids: [[UInt8]] = []
            ids.reserveCapacity(expectedCount)
            for i in 0..<expectedCount {
                let (start, end) = (ends[i], ends[i + 1])
                guard i > 0 || start == 0, start <= end, end <= data.count, end - start <= VectorID.maxByteCount else {
                    throw .corrupt(
                        path, offset: offset + 16 + i * 8, "id \(i) spans bytes \(start)..<\(end) of \(data.count)")
                }
                ids.append(Array(data[start..<end]))
            }
            guard ends[expectedCount] == data.count else {
                throw .corrupt(
                    path, offset: offset, "id bytes end at \(ends[expectedCount]), the block holds \(data.count)")
            }
            return .bytes(ids)
        default:
            throw .corrupt(path, offset: offset, "unknown id map kind \(kind)")
        }
    }
}

/// The deleted rows of one segment, kept outside the immutable segment file in a small file that is replaced
/// atomically (`formats/manifest.md`, "Deletion bitmap"). Bit `r` of word `r / 64` is set when row `r` is deleted.
public struct DeletionBitmap: Equatable, Sendable {
    /// The segment the rows belong to.
    public let segmentID: UInt64
    /// Rows of the segment (bits in use).
    public let rowCount: Int
    /// `ceil(rowCount / 64)` words, low bit first.
    public private(set) var words: [UInt64]
    /// Rows marked deleted.
    public private(set) var deletedCount = 0

    static let magic: [UInt8] = Array("VECDDELS".utf8)
    static let majorVersion: UInt16 = 1
    static let minorVersion: UInt16 = 0
    static let headerByteCount = 40

    /// An empty bitmap (nothing deleted) for a segment of `rowCount` rows.
    public init(segmentID: UInt64, rowCount: Int) {
        self.segmentID = segmentID
        self.rowCount = rowCount
        words = [UInt64](repeating: 0, count: (rowCount + 63) / 64)
    }

    /// Whether `row` is deleted.
    public func contains(_ row: Int) -> Bool {
        precondition(row >= 0 && row < rowCount, "row \(row) outside the segment's \(rowCount) rows")
        return words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    /// Marks `row` deleted; returns false when it already was.
    @discardableResult
    public mutating func insert(_ row: Int) -> Bool {
        precondition(row >= 0 && row < rowCount, "row \(row) outside the segment's \(rowCount) rows")
        let bit: UInt64 = 1 << UInt64(row & 63)
        guard words[row >> 6] & bit == 0 else { return false }
        words[row >> 6] |= bit
        deletedCount += 1
        return true
    }

    /// The file image: header, words, CRC-32C of everything before it.
    public func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: Self.headerByteCount + words.count * 8 + 4)
        writer.append(contentsOf: Self.magic)
        writer.append(Self.majorVersion)
        writer.append(Self.minorVersion)
        writer.appendZeros(4)
        writer.append(segmentID)
        writer.append(UInt64(rowCount))
        writer.append(UInt64(deletedCount))
        for word in words { writer.append(word) }
        writer.append(CRC32C.checksum(writer.bytes))
        return writer.bytes
    }

    /// Replaces the file at `path` with this bitmap, atomically.
    public func write(to path: String) throws(StorageError) {
        try FileSystem.atomicReplace(path: path, data: encoded())
    }

    /// Reads and checks the bitmap file at `path`.
    public static func read(from path: String) throws(StorageError) -> DeletionBitmap {
        try decode(try FileSystem.readFile(path), path: path)
    }

    /// Checks and decodes a bitmap file image; `path` names it in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws(StorageError) -> DeletionBitmap {
        try bytes.withBytes { (raw) throws(StorageError) in
            guard raw.count >= headerByteCount + 4 else {
                throw .corrupt(
                    path, offset: 0, "deletion bitmap of \(raw.count) bytes is shorter than its 44-byte minimum")
            }
            guard Array(raw[0..<8]) == magic else {
                throw .corrupt(path, offset: 0, "not a vecd deletion bitmap (magic is not VECDDELS)")
            }
            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: raw[0..<raw.count - 4]), path: path)
            _ = try reader.readBytes(8)
            let major = try reader.readUInt16()
            _ = try reader.readUInt16()
            guard major <= majorVersion else {
                throw StorageError(
                    code: .versionTooNew, path: path, offset: 8,
                    detail:
                        "deletion bitmap format version \(major) is newer than this vecd reads (\(majorVersion)); upgrade vecd"
                )
            }
            let stored = raw.loadUnaligned(fromByteOffset: raw.count - 4, as: UInt32.self).littleEndian
            let computed = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<raw.count - 4]))
            guard stored == computed else {
                throw .corrupt(
                    path, offset: raw.count - 4,
                    "deletion bitmap checksum mismatch (stored \(hex(stored)), computed \(hex(computed))); damaged or truncated"
                )
            }
            guard major == majorVersion else {
                throw .corrupt(path, offset: 8, "deletion bitmap version \(major) is unknown")
            }
            try reader.readReserved(4, field: "bitmap.reserved")
            let segmentID = try reader.readUInt64()
            let rows = try reader.readUInt64()
            let deleted = try reader.readUInt64()
            let wordCount = (rows + 63) / 64
            guard rows <= UInt64(Int32.max) * 64, UInt64(reader.remaining) == wordCount * 8 else {
                throw .corrupt(
                    path, offset: 24,
                    "\(rows) rows need \(wordCount * 8) bitmap bytes, the file has \(reader.remaining)")
            }
            var bitmap = DeletionBitmap(segmentID: segmentID, rowCount: Int(rows))
            for i in 0..<Int(wordCount) { bitmap.words[i] = try reader.readUInt64() }
            bitmap.deletedCount = bitmap.words.reduce(0) { $0 + $1.nonzeroBitCount }
            guard UInt64(bitmap.deletedCount) == deleted else {
                throw .corrupt(
                    path, offset: 32, "header counts \(deleted) deletions, the bits hold \(bitmap.deletedCount)")
            }
            if rows % 64 != 0, let last = bitmap.words.last, last >> (rows % 64) != 0 {
                throw .corrupt(path, offset: raw.count - 12, "bits set past the segment's \(rows) rows")
            }
            return bitmap
        }
    }
}

/// One entry of a segment's block table (`formats/segment.md`, "Block table"): where a block is, how it is stored,
/// and its checksum.
public struct SegmentBlock: Equatable, Sendable {
    /// What a block holds. A struct so that later versions can add kinds.
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// `rowCount × dimension` Float32, row-major; unit length under cosine. Never compressed (used in place).
        public static let vectorsFloat32 = Kind(rawValue: 1)
        /// `rowCount × dimension` Float16: the graph walk's compact copy when the element type is Float16.
        public static let vectorsFloat16 = Kind(rawValue: 2)
        /// `rowCount × dimension` Int8 codes: the walk's compact copy when the element type is Int8.
        public static let vectorsInt8 = Kind(rawValue: 3)
        /// The Int8 quantizer: `dimension` Float32 offsets, then `dimension` Float32 steps.
        public static let quantizer = Kind(rawValue: 4)
        /// `rowCount` ground-layer link records of `1 + 2m` UInt32: count, then neighbours (unused ones zero).
        public static let groundLinks = Kind(rawValue: 5)
        /// `rowCount` UInt8 levels.
        public static let levels = Kind(rawValue: 6)
        /// `upperRecordCount` records of `1 + m` UInt32, for each slot with level > 0 in slot order, levels 1…level.
        public static let upperLinks = Kind(rawValue: 7)
        /// Slot → external id (see ``SegmentIDs``).
        public static let idMap = Kind(rawValue: 8)

        static let known: [Kind] = [
            .vectorsFloat32, .vectorsFloat16, .vectorsInt8, .quantizer, .groundLinks, .levels, .upperLinks, .idMap,
        ]

        public var description: String {
            switch self {
            case .vectorsFloat32: return "vectors.f32"
            case .vectorsFloat16: return "vectors.f16"
            case .vectorsInt8: return "vectors.int8"
            case .quantizer: return "quantizer"
            case .groundLinks: return "links.ground"
            case .levels: return "levels"
            case .upperLinks: return "links.upper"
            case .idMap: return "ids"
            default: return "kind \(rawValue)"
            }
        }
    }

    public static let byteCount = 40
    /// Flag bit 0: the stored bytes are an LZ4 block that decodes to `rawByteCount` bytes.
    public static let compressedFlag: UInt32 = 1
    /// Flag bit 1: a reader that does not know the kind may ignore the block (otherwise it must refuse the file).
    public static let skippableFlag: UInt32 = 2

    public var kind: Kind
    public var flags: UInt32
    /// Byte offset in the file; a multiple of the page size.
    public var offset: Int
    /// Bytes on disk (compressed size when compressed).
    public var storedByteCount: Int
    /// Bytes once decoded (equal to `storedByteCount` when not compressed).
    public var rawByteCount: Int
    /// CRC-32C of the stored bytes and the zero padding after them up to the next page boundary.
    public var checksum: UInt32

    public var isCompressed: Bool { flags & Self.compressedFlag != 0 }

    func encode(into writer: inout ByteWriter) {
        writer.append(kind.rawValue)
        writer.append(flags)
        writer.append(UInt64(offset))
        writer.append(UInt64(storedByteCount))
        writer.append(UInt64(rawByteCount))
        writer.append(checksum)
        writer.appendZeros(4)
    }

    static func decode(_ reader: inout ByteReader) throws(StorageError) -> SegmentBlock {
        let start = reader.baseOffset + reader.position
        let kind = Kind(rawValue: try reader.readUInt32())
        let flags = try reader.readUInt32()
        let offset = try reader.readUInt64()
        let stored = try reader.readUInt64()
        let raw = try reader.readUInt64()
        let checksum = try reader.readUInt32()
        try reader.readReserved(4, field: "block.reserved")
        guard flags & ~(compressedFlag | skippableFlag) == 0 else {
            throw .corrupt(reader.path, offset: start + 4, "block \(kind) has unknown flags \(hex(flags))")
        }
        let limit = UInt64(Int.max / 2)
        guard offset < limit, stored < limit, raw < limit else {
            throw .corrupt(reader.path, offset: start + 8, "block \(kind) has impossible offset or sizes")
        }
        return SegmentBlock(
            kind: kind, flags: flags, offset: Int(offset), storedByteCount: Int(stored), rawByteCount: Int(raw),
            checksum: checksum)
    }
}

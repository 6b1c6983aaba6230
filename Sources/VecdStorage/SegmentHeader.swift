public import VecdIndex
import VecdKernels

#if !_endian(little)
    #error("vecd's files are little-endian and segments are used in place from mmap: little-endian hosts only")
#endif

/// The fixed 128-byte header at offset 0 of a segment file (`formats/segment.md`, "Header"). Every byte is
/// accounted for; reserved bytes are zero.
public struct SegmentHeader: Equatable, Sendable {
    /// "VECDSEG" and a zero byte.
    public static let magic: [UInt8] = Array("VECDSEG".utf8) + [0]
    public static let majorVersion: UInt16 = 1
    public static let minorVersion: UInt16 = 0
    public static let byteCount = 128
    /// Written as a little-endian UInt32; a reader that sees 0x04030201 has a file of the other byte order.
    public static let byteOrderMark: UInt32 = 0x0102_0304
    /// The entry-point slot of an empty segment.
    public static let noEntryPoint = UInt32.max
    /// Page sizes the layout supports: 4 KiB (x86-64, most arm64), 16 KiB (Raspberry Pi 5, Apple), 64 KiB (some
    /// arm64 server kernels), and powers of two up to 1 MiB.
    public static let pageByteCountRange = 4096...(1 << 20)

    public var minorVersion: UInt16 = SegmentHeader.minorVersion
    /// Alignment of every block (a power of two).
    public var pageByteCount: Int
    /// The build settings of the graph: dimension, metric, m, efConstruction, walk element type and seed.
    public var parameters: HNSWParameters
    /// Slots in the segment, deleted ones included.
    public var rowCount: Int
    /// The top of the graph, or nil for an empty segment.
    public var entryPoint: SegmentEntryPoint?
    /// Link records above the ground layer: the sum of every slot's level.
    public var upperRecordCount: Int
    /// The segment's id, as the manifest names it.
    public var segmentID: UInt64
    /// The file's size in bytes (a multiple of `pageByteCount`).
    public var fileByteCount: Int
    /// Entries in the block table that follows the header.
    public var blockCount: Int
    /// CRC-32C of the block table and the zero padding after it, up to the first block.
    public var blockTableChecksum: UInt32

    /// Where the first block starts: the block table rounded up to a page.
    public var firstBlockOffset: Int {
        roundUp(Self.byteCount + blockCount * SegmentBlock.byteCount, to: pageByteCount)
    }

    func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: Self.byteCount)
        writer.append(contentsOf: Self.magic)  // 0
        writer.append(Self.majorVersion)  // 8
        writer.append(minorVersion)  // 10
        writer.append(Self.byteOrderMark)  // 12
        writer.append(UInt32(Self.byteCount))  // 16
        writer.append(UInt32(pageByteCount))  // 20
        writer.append(parameters.metric.formatCode)  // 24
        writer.append(parameters.storage.formatCode)  // 25
        writer.append(UInt16(0))  // 26 flags, reserved
        writer.append(UInt32(parameters.dimension))  // 28
        writer.append(UInt64(rowCount))  // 32
        writer.append(UInt32(parameters.m))  // 40
        writer.append(UInt32(parameters.efConstruction))  // 44
        writer.append(parameters.seed)  // 48
        writer.append(entryPoint?.slot ?? Self.noEntryPoint)  // 56
        writer.append(UInt32(entryPoint?.level ?? 0))  // 60
        writer.append(UInt64(upperRecordCount))  // 64
        writer.append(segmentID)  // 72
        writer.append(UInt64(fileByteCount))  // 80
        writer.append(UInt32(blockCount))  // 88
        writer.append(blockTableChecksum)  // 92
        writer.appendZeros(28)  // 96 reserved
        writer.append(CRC32C.checksum(writer.bytes))  // 124
        return writer.bytes
    }

    /// Decodes and checks the header in the first 128 bytes of `bytes`. Checks the version before the checksum,
    /// so that a newer file gets "upgrade vecd" rather than "damaged".
    static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws(StorageError) -> SegmentHeader {
        guard bytes.count >= byteCount else {
            throw .corrupt(path, offset: 0, "segment file of \(bytes.count) bytes is shorter than its 128-byte header")
        }
        guard Array(bytes[0..<8]) == magic else {
            throw .corrupt(path, offset: 0, "not a vecd segment (magic is not VECDSEG)")
        }
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[0..<byteCount]), path: path)
        _ = try reader.readBytes(8)
        let major = try reader.readUInt16()
        let minor = try reader.readUInt16()
        guard major <= majorVersion else {
            throw StorageError(
                code: .versionTooNew, path: path, offset: 8,
                detail: "segment format version \(major) is newer than this vecd reads (\(majorVersion)); upgrade vecd")
        }
        let stored = bytes.loadUnaligned(fromByteOffset: 124, as: UInt32.self).littleEndian
        let computed = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<124]))
        guard stored == computed else {
            throw .corrupt(
                path, offset: 124, "segment header checksum mismatch (stored \(hex(stored)), computed \(hex(computed)))"
            )
        }
        guard major == majorVersion else {
            throw .corrupt(path, offset: 8, "segment format version \(major) is unknown")
        }
        let mark = try reader.readUInt32()
        guard mark == byteOrderMark else {
            throw .corrupt(path, offset: 12, "byte-order mark \(hex(mark)): not a little-endian vecd segment")
        }
        guard try reader.readUInt32() == UInt32(byteCount) else {
            throw .corrupt(path, offset: 16, "header size is not 128")
        }
        let page = Int(try reader.readUInt32())
        guard pageByteCountRange.contains(page), page & (page - 1) == 0 else {
            throw .corrupt(path, offset: 20, "page size \(page) is not a power of two in 4096...1048576")
        }
        let metricCode = try reader.readUInt8()
        let storageCode = try reader.readUInt8()
        guard let metric = DistanceMetric(formatCode: metricCode) else {
            throw .corrupt(path, offset: 24, "unknown metric code \(metricCode)")
        }
        guard let storage = VectorStorageMode(formatCode: storageCode) else {
            throw .corrupt(path, offset: 25, "unknown element type code \(storageCode)")
        }
        try reader.readReserved(2, field: "flags")
        let dimension = Int(try reader.readUInt32())
        let rows = try reader.readUInt64()
        let m = Int(try reader.readUInt32())
        let efConstruction = Int(try reader.readUInt32())
        let seed = try reader.readUInt64()
        let entrySlot = try reader.readUInt32()
        let entryLevel = try reader.readUInt32()
        let upperRecords = try reader.readUInt64()
        let segmentID = try reader.readUInt64()
        let fileBytes = try reader.readUInt64()
        let blocks = try reader.readUInt32()
        let tableChecksum = try reader.readUInt32()
        try reader.readReserved(28, field: "header.reserved")

        let parameters = HNSWParameters(
            dimension: dimension, metric: metric, m: m, efConstruction: efConstruction, storage: storage, seed: seed)
        do { try parameters.validate() } catch {
            throw .corrupt(path, offset: 28, "graph parameters out of range: \(error)")
        }
        guard rows < UInt64(UInt32.max), upperRecords <= rows * 15, blocks <= 1024, fileBytes <= UInt64(Int.max) else {
            throw .corrupt(
                path, offset: 32, "impossible counts: \(rows) rows, \(upperRecords) upper records, \(blocks) blocks")
        }
        var entry: SegmentEntryPoint?
        if rows > 0 {
            guard UInt64(entrySlot) < rows, entryLevel <= 15 else {
                throw .corrupt(path, offset: 56, "entry point \(entrySlot) at level \(entryLevel) outside \(rows) rows")
            }
            entry = SegmentEntryPoint(slot: entrySlot, level: Int(entryLevel))
        }
        return SegmentHeader(
            minorVersion: minor, pageByteCount: page, parameters: parameters, rowCount: Int(rows), entryPoint: entry,
            upperRecordCount: Int(upperRecords), segmentID: segmentID, fileByteCount: Int(fileBytes),
            blockCount: Int(blocks), blockTableChecksum: tableChecksum)
    }
}

/// The slot where every search starts, and its level (the graph's top level).
public struct SegmentEntryPoint: Equatable, Sendable {
    public var slot: UInt32
    public var level: Int
    public init(slot: UInt32, level: Int) {
        self.slot = slot
        self.level = level
    }
}

func roundUp(_ value: Int, to alignment: Int) -> Int { (value + alignment - 1) / alignment * alignment }

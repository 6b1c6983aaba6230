import VecdIndex
public import VecdKernels

/// An open segment file, mapped read-only; its buffers point straight into the mapping (no copy, no parse).
///
/// Opening reads only the header and block table and checks them (checksums, sizes, alignment, that every block
/// lies inside the file): cost independent of the row count. Block checksums are checked when a block is decoded
/// (``quantizer()``, ``upperLinks()``, ``ids()``: small, read whole anyway) and for the mapped blocks (vectors,
/// links, levels) only by ``verify()`` or ``verifyBlock(_:)``, since checking them means reading every page.
///
/// The buffers stay valid while the reader is alive: keep a strong reference (or use `withExtendedLifetime`) for as
/// long as any pointer into them is used. The mapping is shared and read-only; writing through it crashes.
public final class SegmentReader: Sendable {
    /// The file's path, named in every error.
    public let path: String
    public let header: SegmentHeader
    /// The block table, in file order.
    public let blocks: [SegmentBlock]
    private let file: MappedFile
    /// The Float32 rows, read with `pread`, when they are left out of the mapping (``RowAccess/readOnDemand``).
    public let rowFile: SegmentRowFile?

    /// How a reader reaches a segment's Float32 rows.
    public enum RowAccess: Sendable {
        /// Through the mapping, like every other block: the walk of a Float32 segment reads them.
        case mapped
        /// Low-RAM mode, for Float16 and Int8 segments: the `vectors.f32` block is taken out of the mapping and the
        /// re-rank reads only its top candidates' rows with `pread` (``rowFile``). A Float32 segment is mapped whole.
        case readOnDemand
    }

    /// Maps the segment at `path` and checks its header and block table. A newer major version throws
    /// ``StorageError/Code/versionTooNew``; damage throws ``StorageError/Code/corrupt``; both name the file.
    public init(path: String, rowAccess: RowAccess = .mapped) throws(StorageError) {
        self.path = path
        file = try MappedFile(path: path)
        let bytes = file.bytes
        header = try SegmentHeader.decode(bytes, path: path)
        guard header.fileByteCount == bytes.count else {
            throw .corrupt(
                path, offset: 80,
                "header says the file has \(header.fileByteCount) bytes, it has \(bytes.count) (truncated?)")
        }
        let tableEnd = header.firstBlockOffset
        guard tableEnd <= bytes.count else {
            throw .corrupt(path, offset: SegmentHeader.byteCount, "block table runs past the end of the file")
        }
        let table = UnsafeRawBufferPointer(rebasing: bytes[SegmentHeader.byteCount..<tableEnd])
        let computed = CRC32C.checksum(table)
        guard computed == header.blockTableChecksum else {
            throw .corrupt(
                path, offset: SegmentHeader.byteCount,
                "block table checksum mismatch (stored \(hex(header.blockTableChecksum)), computed \(hex(computed)))")
        }
        var reader = ByteReader(table, path: path, baseOffset: SegmentHeader.byteCount)
        var blocks: [SegmentBlock] = []
        var end = tableEnd
        for index in 0..<header.blockCount {
            let entryOffset = SegmentHeader.byteCount + index * SegmentBlock.byteCount
            let block = try SegmentBlock.decode(&reader)
            guard block.offset == end else {
                throw .corrupt(
                    path, offset: entryOffset + 8, "block \(block.kind) starts at \(block.offset), expected \(end)")
            }
            end = block.offset + roundUp(block.storedByteCount, to: header.pageByteCount)
            guard end <= bytes.count else {
                throw .corrupt(path, offset: entryOffset + 16, "block \(block.kind) runs past the end of the file")
            }
            if SegmentBlock.Kind.known.contains(block.kind) {
                blocks.append(block)
            } else if block.flags & SegmentBlock.skippableFlag == 0 {
                throw StorageError(
                    code: .versionTooNew, path: path, offset: entryOffset,
                    detail: "block kind \(block.kind.rawValue) is unknown to this vecd and not skippable; upgrade vecd")
            }
        }
        guard end == bytes.count else {
            throw .corrupt(path, offset: end, "\(bytes.count - end) bytes after the last block")
        }
        try reader.readReserved(reader.remaining, field: "block table padding")
        self.blocks = blocks
        let p = header.parameters
        if rowAccess == .readOnDemand, p.storage != .float32,
            let rows = blocks.first(where: { $0.kind == .vectorsFloat32 }),
            rows.storedByteCount == header.rowCount * p.dimension * 4
        {
            _ = try file.withdraw(offset: rows.offset, count: roundUp(rows.storedByteCount, to: header.pageByteCount))
            rowFile = try SegmentRowFile(
                path: path, blockOffset: rows.offset, rowCount: header.rowCount, dimension: p.dimension)
        } else {
            rowFile = nil
        }
        try checkBlockSizes()
    }

    /// The Float32 rows (`rowCount × dimension`, row-major, unit length under cosine), in the mapping; empty when
    /// they are read on demand through ``rowFile``.
    public var vectors: UnsafeRawBufferPointer {
        rowFile == nil ? bytes(of: .vectorsFloat32) : UnsafeRawBufferPointer(start: nil, count: 0)
    }

    /// Appends the Float32 row `row` to `vectors`, from the mapping or with `pread` (compaction reads rows this way
    /// whatever the row access).
    public func appendVector(row: Int, to vectors: inout [Float]) throws(StorageError) {
        if let rowFile { return try rowFile.appendRow(row, to: &vectors) }
        let dimension = header.parameters.dimension
        vectors += vectorFloats[(row * dimension)..<((row + 1) * dimension)]
    }

    /// Drops the segment file at `path` from the kernel's page cache, so that a benchmark starts cold and what it
    /// reads is charged to it. Clean pages only: nothing is lost.
    public static func dropPageCache(path: String) throws(StorageError) { try MappedFile.dropPageCache(path: path) }

    /// Bytes of the block `kind` (with its padding) that the kernel's page cache holds now, mapped or not.
    public func pageCacheByteCount(of kind: SegmentBlock.Kind) throws(StorageError) -> Int {
        guard let block = block(of: kind) else { return 0 }
        return try MappedFile.pageCacheByteCount(
            path: path, offset: block.offset, count: roundUp(block.storedByteCount, to: header.pageByteCount))
    }

    /// Bytes of this reader's mapping that are resident in the page cache: the whole file, less the Float32 rows
    /// when they are read on demand. The "resident part of the file it maps" in `memory_bytes`.
    public func residentMappedByteCount() throws(StorageError) -> Int {
        var total = try MappedFile.pageCacheByteCount(path: path, offset: 0, count: header.firstBlockOffset)
        for block in blocks where !(rowFile != nil && block.kind == .vectorsFloat32) {
            total += try pageCacheByteCount(of: block.kind)
        }
        return total
    }

    /// The Float16 or Int8 rows the graph walk reads when the element type is not Float32, in the mapping.
    public var compactVectors: UnsafeRawBufferPointer? {
        switch header.parameters.storage {
        case .float32: return nil
        case .float16: return bytes(of: .vectorsFloat16)
        case .int8: return bytes(of: .vectorsInt8)
        }
    }

    /// `rowCount` ground-layer link records of `1 + 2m` UInt32 (count, then neighbours), in the mapping.
    public var groundLinks: UnsafeRawBufferPointer { bytes(of: .groundLinks) }

    /// `rowCount` level bytes, in the mapping.
    public var levels: UnsafeRawBufferPointer { bytes(of: .levels) }

    /// The Float32 rows as typed floats (the mapping is page-aligned, so Float alignment holds).
    public var vectorFloats: UnsafeBufferPointer<Float> { vectors.bindMemory(to: Float.self) }

    /// The ground links as typed UInt32.
    public var groundLinkWords: UnsafeBufferPointer<UInt32> { groundLinks.bindMemory(to: UInt32.self) }

    /// The upper-layer link records (decoded, checksum checked): for each slot with level > 0, in slot order,
    /// `level` records of `1 + m` UInt32 (levels 1…level).
    public func upperLinks() throws(StorageError) -> [UInt32] {
        let raw = try decodedBytes(of: .upperLinks)
        return raw.withUnsafeBytes { bytes in
            (0..<bytes.count / 4).map {
                UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))
            }
        }
    }

    /// The slot → external id map (decoded, checksum checked).
    public func ids() throws(StorageError) -> SegmentIDs {
        let block = block(of: .idMap)!
        return try decodedBytes(of: .idMap).withBytes { (raw) throws(StorageError) in
            try SegmentIDs.decode(raw, expectedCount: header.rowCount, path: path, offset: block.offset)
        }
    }

    /// The Int8 quantizer (checksum checked), or nil unless the element type is Int8.
    public func quantizer() throws(StorageError) -> ScalarQuantizer? {
        guard header.parameters.storage == .int8 else { return nil }
        let raw = try decodedBytes(of: .quantizer)
        let dimension = header.parameters.dimension
        let values: [Float] = raw.withUnsafeBytes { bytes in
            (0..<2 * dimension).map {
                Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            }
        }
        let steps = Array(values[dimension...])
        guard steps.allSatisfy({ $0 > 0 && $0.isFinite }), values.allSatisfy(\.isFinite) else {
            throw .corrupt(
                path, offset: block(of: .quantizer)!.offset, "quantizer has a non-finite value or a step ≤ 0")
        }
        return ScalarQuantizer(offsets: Array(values[..<dimension]), steps: steps)
    }

    /// The table entry of `kind`, or nil when the segment has no such block.
    public func block(of kind: SegmentBlock.Kind) -> SegmentBlock? { blocks.first { $0.kind == kind } }

    /// Checks the checksum of one block (its stored bytes and padding), reading every byte of it.
    public func verifyBlock(_ kind: SegmentBlock.Kind) throws(StorageError) {
        guard let block = block(of: kind) else { return }
        let span = roundUp(block.storedByteCount, to: header.pageByteCount)
        let computed: UInt32
        if kind == .vectorsFloat32, let rowFile {
            computed = try rowFile.checksum(offset: block.offset, count: span)
        } else {
            computed = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: file.bytes[block.offset..<block.offset + span]))
        }
        guard computed == block.checksum else {
            throw .corrupt(
                path, offset: block.offset,
                "block \(kind) checksum mismatch (stored \(hex(block.checksum)), computed \(hex(computed)))")
        }
    }

    /// Stored bytes of `kind` in the mapping (for compressed blocks, the compressed bytes).
    func bytes(of kind: SegmentBlock.Kind) -> UnsafeRawBufferPointer {
        guard let block = block(of: kind) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: file.bytes[block.offset..<block.offset + block.storedByteCount])
    }

    /// The raw bytes of a small block: checksum checked, decompressed if needed.
    func decodedBytes(of kind: SegmentBlock.Kind) throws(StorageError) -> [UInt8] {
        guard let block = block(of: kind) else { return [] }
        try verifyBlock(kind)
        let stored = bytes(of: kind)
        guard block.isCompressed else { return Array(stored) }
        return try LZ4Block.decompress(stored, rawByteCount: block.rawByteCount, path: path, offset: block.offset)
    }

    /// Checks that the blocks this header needs are present once each, with the sizes it implies.
    private func checkBlockSizes() throws(StorageError) {
        let p = header.parameters
        let rows = header.rowCount
        var expected: [(SegmentBlock.Kind, Int?)] = [
            (.vectorsFloat32, rows * p.dimension * 4), (.groundLinks, rows * (1 + 2 * p.m) * 4), (.levels, rows),
            (.upperLinks, header.upperRecordCount * (1 + p.m) * 4), (.idMap, nil),
        ]
        if p.storage == .float16 { expected.append((.vectorsFloat16, rows * p.dimension * 2)) }
        if p.storage == .int8 { expected += [(.vectorsInt8, rows * p.dimension), (.quantizer, p.dimension * 8)] }
        guard blocks.count == expected.count else {
            throw .corrupt(
                path, offset: 88, "\(blocks.count) known blocks, a \(p.storage) segment has \(expected.count)")
        }
        for (kind, size) in expected {
            guard let block = block(of: kind) else {
                throw .corrupt(path, offset: SegmentHeader.byteCount, "block \(kind) is missing")
            }
            if let size, block.rawByteCount != size {
                throw .corrupt(
                    path, offset: block.offset,
                    "block \(kind) holds \(block.rawByteCount) bytes, the header implies \(size)")
            }
            let compressible = kind == .upperLinks || kind == .idMap
            guard block.isCompressed ? compressible : block.storedByteCount == block.rawByteCount else {
                throw .corrupt(path, offset: block.offset, "block \(kind) has inconsistent compression fields")
            }
        }
    }
}

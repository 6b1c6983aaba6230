public import VecdIndex
public import VecdKernels

/// Everything a segment file holds, as borrowed buffers in the in-memory layout of ``HNSWIndex``
/// (the writer copies nothing it does not have to; the buffers must stay valid during ``SegmentWriter/write(_:to:pageByteCount:)``).
public struct SegmentContents {
    public var segmentID: UInt64
    /// Dimension, metric, m, efConstruction, walk element type (`storage`) and seed.
    public var parameters: HNSWParameters
    public var rowCount: Int
    /// `rowCount × dimension` Float32.
    public var vectors: UnsafeRawBufferPointer
    /// `rowCount × dimension` Float16 or Int8 when `parameters.storage` is not `.float32`.
    public var compactVectors: UnsafeRawBufferPointer?
    /// The Int8 quantizer when `parameters.storage == .int8`.
    public var quantizer: ScalarQuantizer?
    /// `rowCount × (1 + 2m)` UInt32.
    public var groundLinks: UnsafeRawBufferPointer
    /// `rowCount` UInt8.
    public var levels: UnsafeRawBufferPointer
    /// `sum(levels) × (1 + m)` UInt32: for each slot with level > 0, in slot order, its records for levels 1…level.
    public var upperLinks: UnsafeRawBufferPointer
    /// One id per slot.
    public var ids: SegmentIDs
    /// Nil exactly when `rowCount == 0`.
    public var entryPoint: SegmentEntryPoint?

    public init(
        segmentID: UInt64, parameters: HNSWParameters, rowCount: Int, vectors: UnsafeRawBufferPointer,
        compactVectors: UnsafeRawBufferPointer? = nil, quantizer: ScalarQuantizer? = nil,
        groundLinks: UnsafeRawBufferPointer, levels: UnsafeRawBufferPointer, upperLinks: UnsafeRawBufferPointer,
        ids: SegmentIDs, entryPoint: SegmentEntryPoint?
    ) {
        self.segmentID = segmentID
        self.parameters = parameters
        self.rowCount = rowCount
        self.vectors = vectors
        self.compactVectors = compactVectors
        self.quantizer = quantizer
        self.groundLinks = groundLinks
        self.levels = levels
        self.upperLinks = upperLinks
        self.ids = ids
        self.entryPoint = entryPoint
    }

    /// The contents of an index's image (``HNSWIndex/withImage(_:)``): its first `image.rowCount` slots under `ids`.
    /// The image's buffers are only borrowed, so the segment must be written inside the `withImage` call.
    public init(segmentID: UInt64, image: HNSWImage, ids: SegmentIDs) {
        self.init(
            segmentID: segmentID, parameters: image.parameters, rowCount: image.rowCount, vectors: image.vectors,
            compactVectors: image.compactVectors, quantizer: image.quantizer, groundLinks: image.groundLinks,
            levels: image.levels, upperLinks: image.upperLinks, ids: ids,
            entryPoint: image.entryPoint.map { SegmentEntryPoint(slot: $0.slot, level: $0.level) })
    }
}

/// Writes immutable segment files (`formats/segment.md`).
public enum SegmentWriter {
    /// The default block alignment: 16 KiB suits 16 KiB-page kernels (Raspberry Pi 5, Apple) and is a multiple of
    /// 4 KiB; 64 KiB-page kernels need `65536`.
    public static let defaultPageByteCount = 16384

    /// Writes `contents` to a new file at `path` (through a temporary file, fsync and rename, so the path holds a
    /// whole segment or nothing). Throws ``StorageError/Code/invalidArgument`` when a buffer has the wrong size.
    public static func write(
        _ contents: SegmentContents, to path: String, pageByteCount: Int = defaultPageByteCount
    ) throws(StorageError) {
        let payloads = try blockPayloads(contents, pageByteCount: pageByteCount, path: path)
        var header = SegmentHeader(
            pageByteCount: pageByteCount, parameters: contents.parameters, rowCount: contents.rowCount,
            entryPoint: contents.entryPoint, upperRecordCount: upperRecordCount(contents.levels),
            segmentID: contents.segmentID, fileByteCount: 0, blockCount: payloads.count, blockTableChecksum: 0)
        let padding = [UInt8](repeating: 0, count: pageByteCount)
        var blocks: [SegmentBlock] = []
        var offset = header.firstBlockOffset
        for payload in payloads {
            let paddingCount = roundUp(payload.storedByteCount, to: pageByteCount) - payload.storedByteCount
            let checksum = try payload.withBytes { stored in
                padding.withUnsafeBytes {
                    CRC32C.update(CRC32C.checksum(stored), UnsafeRawBufferPointer(rebasing: $0[0..<paddingCount]))
                }
            }
            blocks.append(
                SegmentBlock(
                    kind: payload.kind, flags: payload.compressed ? SegmentBlock.compressedFlag : 0, offset: offset,
                    storedByteCount: payload.storedByteCount, rawByteCount: payload.rawByteCount, checksum: checksum))
            offset += payload.storedByteCount + paddingCount
        }
        header.fileByteCount = offset
        var table = ByteWriter()
        for block in blocks { block.encode(into: &table) }
        table.appendZeros(header.firstBlockOffset - SegmentHeader.byteCount - table.count)
        header.blockTableChecksum = CRC32C.checksum(table.bytes)

        // Through a temporary file, fsync and rename: the final name never holds a half-written segment.
        try FileSystem.atomicReplace(path: path) { (file) throws(StorageError) in
            try file.write(header.encoded() + table.bytes, offsetForErrors: 0)
            for (payload, block) in zip(payloads, blocks) {
                try payload.withBytes { (stored) throws(StorageError) in
                    try file.write(stored, offsetForErrors: block.offset)
                }
                try file.write(
                    Array(padding[0..<(roundUp(block.storedByteCount, to: pageByteCount) - block.storedByteCount)]))
            }
        }
    }

    /// A block's bytes: borrowed from the caller (vectors, links, levels) or built here (ids, upper links).
    private struct Payload {
        var kind: SegmentBlock.Kind
        var borrowed: UnsafeRawBufferPointer?
        var owned: [UInt8] = []
        var rawByteCount: Int
        var compressed = false

        var storedByteCount: Int { borrowed?.count ?? owned.count }

        func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws(StorageError) -> T) throws(StorageError) -> T {
            if let borrowed { return try body(borrowed) }
            return try owned.withBytes(body)
        }

        static func borrowing(_ kind: SegmentBlock.Kind, _ bytes: UnsafeRawBufferPointer) -> Payload {
            Payload(kind: kind, borrowed: bytes, rawByteCount: bytes.count)
        }
    }

    private static func blockPayloads(_ c: SegmentContents, pageByteCount: Int, path: String)
        throws(StorageError) -> [Payload]
    {
        func refuse(_ detail: String) -> StorageError {
            StorageError(code: .invalidArgument, path: path, detail: detail)
        }
        let p = c.parameters
        guard SegmentHeader.pageByteCountRange.contains(pageByteCount), pageByteCount & (pageByteCount - 1) == 0 else {
            throw refuse("page size \(pageByteCount) is not a power of two in 4096...1048576")
        }
        do { try p.validate() } catch { throw refuse("\(error)") }
        let rows = c.rowCount
        func expect(_ buffer: UnsafeRawBufferPointer, _ bytes: Int, _ name: String) throws(StorageError) {
            guard buffer.count == bytes else {
                throw refuse("\(name) holds \(buffer.count) bytes, \(rows) rows need \(bytes)")
            }
        }
        try expect(c.vectors, rows * p.dimension * 4, "vectors")
        try expect(c.groundLinks, rows * (1 + 2 * p.m) * 4, "groundLinks")
        try expect(c.levels, rows, "levels")
        try expect(c.upperLinks, upperRecordCount(c.levels) * (1 + p.m) * 4, "upperLinks")
        guard c.ids.count == rows else { throw refuse("\(c.ids.count) ids for \(rows) rows") }
        guard (c.entryPoint == nil) == (rows == 0), c.entryPoint.map({ Int($0.slot) < rows }) ?? true else {
            throw refuse("the entry point must name a row exactly when there are rows")
        }

        var payloads = [Payload.borrowing(.vectorsFloat32, c.vectors)]
        var quantizer = c.quantizer
        if p.storage == .int8 && c.compactVectors == nil && c.quantizer == nil {
            // An int8 index learns its ranges only after its first 1,000 rows; a smaller one (a small flush) has no
            // codes yet, so they are learned here from all its rows.
            let (trained, codes) = Self.quantize(c.vectors, dimension: p.dimension)
            quantizer = trained
            payloads.append(owned(.vectorsInt8, codes, compress: false))
        } else if p.storage != .float32 {
            guard let compact = c.compactVectors else { throw refuse("\(p.storage) storage needs compactVectors") }
            try expect(compact, rows * p.dimension * p.storage.bytesPerComponent, "compactVectors")
            let kind: SegmentBlock.Kind = p.storage == .float16 ? .vectorsFloat16 : .vectorsInt8
            payloads.append(.borrowing(kind, compact))
        }
        if p.storage == .int8 {
            guard let quantizer, quantizer.dimension == p.dimension else {
                throw refuse("int8 storage needs a quantizer of dimension \(p.dimension)")
            }
            var writer = ByteWriter()
            for value in quantizer.offsets { writer.append(value) }
            for value in quantizer.steps { writer.append(value) }
            payloads.append(owned(.quantizer, writer.bytes, compress: false))
        }
        payloads.append(.borrowing(.groundLinks, c.groundLinks))
        payloads.append(.borrowing(.levels, c.levels))
        payloads.append(owned(.upperLinks, Array(c.upperLinks), compress: true))
        payloads.append(owned(.idMap, c.ids.encoded(), compress: true))
        if p.storage != .float32 {
            // The walk of a compact segment never reads the Float32 rows: last, they lie past everything a low-RAM
            // reader maps, and their pages are never mixed with the walk's in readahead.
            payloads.append(payloads.removeFirst())
        }
        return payloads
    }

    /// Int8 codes of Float32 `rows` under a quantizer learned from them.
    private static func quantize(_ rows: UnsafeRawBufferPointer, dimension: Int) -> (ScalarQuantizer, [UInt8]) {
        let floats = rows.bindMemory(to: Float.self)
        let quantizer = ScalarQuantizer(training: floats, dimension: dimension)
        guard !floats.isEmpty else { return (quantizer, []) }
        var codes = [UInt8](repeating: 0, count: floats.count)
        codes.withUnsafeMutableBytes { raw in
            let target = raw.bindMemory(to: Int8.self).baseAddress!
            for row in 0..<floats.count / dimension {
                quantizer.encode(floats.baseAddress! + row * dimension, into: target + row * dimension)
            }
        }
        return (quantizer, codes)
    }

    /// A block built in memory, LZ4-compressed when that pays.
    private static func owned(_ kind: SegmentBlock.Kind, _ raw: [UInt8], compress: Bool) -> Payload {
        let compressed = compress ? LZ4Block.compressIfWorthwhile(raw) : nil
        return Payload(kind: kind, owned: compressed ?? raw, rawByteCount: raw.count, compressed: compressed != nil)
    }

    static func upperRecordCount(_ levels: UnsafeRawBufferPointer) -> Int {
        levels.reduce(0) { $0 + Int($1) }
    }

}

import Synchronization
import VecdKernels

/// The in-memory layout of an ``HNSWIndex`` as raw buffers: what a segment file stores, and what an index maps back
/// without copying.
public struct HNSWImage: @unchecked Sendable {
    public var parameters: HNSWParameters
    public var rowCount: Int
    /// `rowCount × dimension` Float32 (unit length under cosine); empty when `rerankRows` supplies them instead.
    public var vectors: UnsafeRawBufferPointer
    /// Low-RAM mode: where the re-rank reads Float32 rows, which are then not in memory (`vectors` is empty). Only for
    /// compact storage modes, whose walk needs no Float32 row.
    public var rerankRows: (any RerankRowSource)?
    /// `rowCount × dimension` binary16 or Int8 values, when the storage mode is compact (and, for Int8, trained).
    public var compactVectors: UnsafeRawBufferPointer?
    /// The Int8 quantizer, when trained.
    public var quantizer: ScalarQuantizer?
    /// `rowCount × (1 + 2m)` UInt32: count, then neighbours.
    public var groundLinks: UnsafeRawBufferPointer
    /// `rowCount` UInt8.
    public var levels: UnsafeRawBufferPointer
    /// `upperRecordCount × (1 + m)` UInt32: for each slot with level > 0, in slot order, its records for levels 1…level.
    public var upperLinks: UnsafeRawBufferPointer
    /// The top of the graph, `nil` when empty.
    public var entryPoint: (slot: Slot, level: Int)?

    public init(
        parameters: HNSWParameters, rowCount: Int, vectors: UnsafeRawBufferPointer,
        compactVectors: UnsafeRawBufferPointer?, quantizer: ScalarQuantizer?, groundLinks: UnsafeRawBufferPointer,
        levels: UnsafeRawBufferPointer, upperLinks: UnsafeRawBufferPointer, entryPoint: (slot: Slot, level: Int)?,
        rerankRows: (any RerankRowSource)? = nil
    ) {
        self.rerankRows = rerankRows
        self.parameters = parameters
        self.rowCount = rowCount
        self.vectors = vectors
        self.compactVectors = compactVectors
        self.quantizer = quantizer
        self.groundLinks = groundLinks
        self.levels = levels
        self.upperLinks = upperLinks
        self.entryPoint = entryPoint
    }
}

extension HNSWIndex {
    /// Calls `body` with the index's layout, under the read lock and after any batch still linking has finished (so
    /// nothing moves or changes meanwhile). The buffers are valid only inside `body`. Tombstones are not part of the
    /// image: they live beside a segment.
    public func withImage<T, E: Error>(_ body: (HNSWImage) throws(E) -> T) throws(E) -> T {
        try withStillGraph { () throws(E) -> T in try stillImage(body) }
    }

    private func stillImage<T, E: Error>(_ body: (HNSWImage) throws(E) -> T) throws(E) -> T {
        let top = entry.withLock { $0 }
        let dimension = parameters.dimension
        let compact: UnsafeRawBufferPointer? = store.walksCompactCodes ? store.codes.map {
            UnsafeRawBufferPointer(start: $0.base, count: slotCount * $0.rowByteCount)
        } : nil
        let image = HNSWImage(
            parameters: parameters, rowCount: slotCount,
            vectors: UnsafeRawBufferPointer(
                start: store.floats.base, count: store.rowSource == nil ? slotCount * dimension * 4 : 0),
            compactVectors: compact, quantizer: store.quantizer,
            groundLinks: UnsafeRawBufferPointer(start: groundLinks.base, count: slotCount * groundLinks.rowByteCount),
            levels: UnsafeRawBufferPointer(start: levels.base, count: slotCount),
            upperLinks: UnsafeRawBufferPointer(start: upperArena.base, count: upperRecordCount * upperArena.rowByteCount),
            entryPoint: top.level < 0 ? nil : (top.slot, top.level), rerankRows: store.rowSource)
        return try body(image)
    }

    /// Slots deleted so far, as a bitmap of 64-bit words (bit `s % 64` of word `s / 64`).
    public var tombstoneWords: [UInt64] { lock.withReadLock { tombstones } }

    /// An index that serves `image` in place — no copy of vectors or ground links — and refuses new vectors.
    /// `owner` (a memory mapping) keeps the buffers valid for the index's lifetime. `tombstones` are the deleted slots.
    ///
    /// Sizes and the entry point are checked here; link targets are checked as the walk reads them, so a damaged
    /// segment degrades answers instead of crashing (`vecd verify` checks every block's checksum).
    public convenience init(mapping image: HNSWImage, owner: AnyObject, tombstones: [UInt64] = []) throws(IndexError) {
        let p = image.parameters
        try p.validate()
        let rows = image.rowCount
        if image.rerankRows != nil {
            let walksCompact = p.storage == .float16 || (p.storage == .int8 && image.quantizer != nil)
            guard walksCompact, image.compactVectors != nil, image.vectors.isEmpty else {
                throw .invalidImage("a re-rank row source needs a compact storage mode, its compact vectors and no rows")
            }
        } else if image.vectors.count != rows * p.dimension * 4 {
            throw .invalidImage("vectors hold \(image.vectors.count) bytes, expected \(rows * p.dimension * 4)")
        }
        guard image.groundLinks.count == rows * (1 + 2 * p.m) * 4, image.levels.count == rows else {
            throw .invalidImage("ground links or levels do not match \(rows) rows")
        }
        var records = 0
        for slot in 0..<rows { records += Int(image.levels[slot]) }
        guard image.upperLinks.count == records * (1 + p.m) * 4 else {
            throw .invalidImage("upper links hold \(image.upperLinks.count) bytes, levels need \(records * (1 + p.m) * 4)")
        }
        if let compact = image.compactVectors, compact.count != rows * p.dimension * p.storage.bytesPerComponent {
            throw .invalidImage("compact vectors hold \(compact.count) bytes")
        }
        if let top = image.entryPoint {
            guard Int(top.slot) < rows, Int(image.levels[Int(top.slot)]) == top.level else {
                throw .invalidImage("entry point \(top.slot) at level \(top.level) does not match its level byte")
            }
        } else if rows > 0 {
            throw .invalidImage("\(rows) rows but no entry point")
        }
        // Empty buffers may have no base address; any non-null pointer serves for zero rows.
        let placeholder = UnsafeRawPointer(bitPattern: RowBuffer.alignment)!
        self.init(
            validated: p,
            store: VectorStore(
                dimension: p.dimension, metric: p.metric, mode: p.storage, rows: rows,
                floats: image.vectors.baseAddress ?? placeholder,
                codes: image.compactVectors?.baseAddress, quantizer: image.quantizer, rowSource: image.rerankRows,
                owner: owner),
            groundLinks: RowBuffer(borrowing: image.groundLinks.baseAddress ?? placeholder, rows: rows,
                                   rowByteCount: (1 + 2 * p.m) * 4, owner: owner),
            levels: RowBuffer(borrowing: image.levels.baseAddress ?? placeholder, rows: rows, rowByteCount: 1,
                              owner: owner),
            upperArena: RowBuffer(borrowing: image.upperLinks.baseAddress ?? placeholder, rows: records,
                                  rowByteCount: (1 + p.m) * 4, owner: owner))
        upperOffsets.reserve(rows: rows, exact: true)
        var next: UInt32 = 0
        for slot in 0..<rows where image.levels[slot] > 0 {
            upperOffsets.row(slot).storeBytes(of: next, as: UInt32.self)
            next += UInt32(image.levels[slot])
        }
        upperRecordCount = records
        slotCount = rows
        self.tombstones = tombstones
        deletedCount = tombstones.reduce(0) { $0 + $1.nonzeroBitCount }
        if let top = image.entryPoint { entry.withLock { $0 = EntryPoint(slot: top.slot, level: top.level) } }
    }
}

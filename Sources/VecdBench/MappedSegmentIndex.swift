import VecdIndex
import VecdStorage

/// An index written to a segment file and served from its memory mapping, as a collection serves its segments:
/// vectors, compact codes and ground links are read in place; only the upper-layer links (stored compressed) are
/// decoded into memory. In low-RAM mode (``SegmentReader/RowAccess/readOnDemand``, compact segments) the Float32
/// rows are not mapped and the re-rank reads its candidates' rows with `pread`. `vecd bench lowram` measures this
/// serving path's memory.
public final class MappedSegmentIndex: @unchecked Sendable {  // immutable after init
    private let reader: SegmentReader
    public let index: HNSWIndex
    /// Keeps the mapping and the decoded upper links alive as long as the index that reads them.
    private let owner: Owner

    private final class Owner: @unchecked Sendable {  // immutable after init
        let reader: SegmentReader
        let upperLinks: UnsafeMutableRawBufferPointer

        init(reader: SegmentReader, upperLinks: UnsafeMutableRawBufferPointer) {
            self.reader = reader
            self.upperLinks = upperLinks
        }

        deinit { upperLinks.deallocate() }
    }

    /// Writes `index` to a new segment file at `path` (slot s under id s).
    public static func write(_ index: HNSWIndex, to path: String) throws(StorageError) {
        try index.withImage { (image) throws(StorageError) in
            let contents = SegmentContents(
                segmentID: 1, image: image, ids: .numbers((0..<image.rowCount).map(UInt64.init)))
            try SegmentWriter.write(contents, to: path)
        }
    }

    /// Maps the segment at `path` and serves its graph in place.
    public init(path: String, rowAccess: SegmentReader.RowAccess = .readOnDemand) throws(StorageError) {
        reader = try SegmentReader(path: path, rowAccess: rowAccess)
        let words = try reader.upperLinks()
        let upper = UnsafeMutableRawBufferPointer.allocate(byteCount: max(words.count * 4, 4), alignment: 64)
        words.withUnsafeBytes { upper.copyMemory(from: $0) }
        let owner = Owner(reader: reader, upperLinks: upper)
        self.owner = owner
        let header = reader.header
        let image = HNSWImage(
            parameters: header.parameters, rowCount: header.rowCount, vectors: reader.vectors,
            compactVectors: reader.compactVectors, quantizer: try reader.quantizer(), groundLinks: reader.groundLinks,
            levels: reader.levels, upperLinks: UnsafeRawBufferPointer(start: upper.baseAddress, count: words.count * 4),
            entryPoint: header.entryPoint.map { (slot: $0.slot, level: $0.level) }, rerankRows: reader.rowFile)
        do { index = try HNSWIndex(mapping: image, owner: owner) } catch {
            throw StorageError(code: .corrupt, path: path, detail: "the segment's graph does not fit together: \(error)")
        }
    }

    /// Heap bytes this serving path allocated: the index's own (``HNSWIndex/memoryByteCount``, which counts no mapped
    /// byte) plus the decoded upper links. `memory_bytes` in `vecd bench lowram`'s serve phase.
    public var ownedByteCount: Int { index.memoryByteCount + owner.upperLinks.count }

    /// Bytes of the mapping the page cache holds (the Float32 rows excluded when they are read on demand).
    public func residentMappedByteCount() throws(StorageError) -> Int { try reader.residentMappedByteCount() }

    /// `memory_bytes` as `vecd bench ann` defines it: the index's own allocations plus the resident part of the file
    /// it maps.
    public func memoryByteCount() throws(StorageError) -> Int { try ownedByteCount + residentMappedByteCount() }

    /// The Float32 rows read with `pread` in low-RAM mode; nil when they are mapped.
    public var rowFile: SegmentRowFile? { reader.rowFile }

    /// Bytes of the Float32 rows block the page cache holds: outside this process when the rows are read on demand.
    public func float32PageCacheByteCount() throws(StorageError) -> Int {
        try reader.pageCacheByteCount(of: .vectorsFloat32)
    }

    /// Rows the segment holds.
    public var rowCount: Int { reader.header.rowCount }

    /// The segment file's size in bytes.
    public var fileByteCount: Int { reader.header.fileByteCount }
}

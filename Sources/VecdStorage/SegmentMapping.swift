import VecdIndex

/// Keeps a segment's mapping alive for the index that reads it, plus the upper links (stored LZ4-compressed, so
/// decoded into memory: one record per node above the ground layer, about 1/m of the rows).
///
/// A collection serves each of its segments through one of these; `package` so that `vecd bench lowram` measures
/// this same serving path rather than a copy of it.
package final class SegmentMapping: @unchecked Sendable {  // immutable after init
    package let reader: SegmentReader
    let upperLinks: UnsafeMutableRawBufferPointer
    let image: HNSWImage

    /// Decodes the upper links of the segment `reader` maps and describes its blocks as an ``HNSWImage``.
    package init(reader: SegmentReader) throws(StorageError) {
        self.reader = reader
        let words = try reader.upperLinks()
        let upper = UnsafeMutableRawBufferPointer.allocate(byteCount: max(words.count * 4, 4), alignment: 64)
        words.withUnsafeBytes { upper.copyMemory(from: $0) }
        upperLinks = upper
        let header = reader.header
        let quantizer = try reader.quantizer()
        image = HNSWImage(
            parameters: header.parameters, rowCount: header.rowCount, vectors: reader.vectors,
            compactVectors: reader.compactVectors, quantizer: quantizer, groundLinks: reader.groundLinks,
            levels: reader.levels,
            upperLinks: UnsafeRawBufferPointer(start: upper.baseAddress, count: words.count * 4),
            entryPoint: header.entryPoint.map { (slot: $0.slot, level: $0.level) }, rerankRows: reader.rowFile)
    }

    deinit { upperLinks.deallocate() }

    /// An index that searches the mapping in place and keeps it alive; `tombstones` are the deletion bitmap's words.
    /// A graph that does not fit together throws a ``StorageError`` naming the segment file.
    package func index(tombstones: [UInt64] = []) throws(StorageError) -> HNSWIndex {
        do { return try HNSWIndex(mapping: image, owner: self, tombstones: tombstones) } catch {
            throw .corrupt(reader.path, offset: nil, "the segment's graph does not fit together: \(error)")
        }
    }

    /// Heap bytes the mapping allocated: the decoded upper links (every other block is read in place).
    package var decodedByteCount: Int { upperLinks.count }
}

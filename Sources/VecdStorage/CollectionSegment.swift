import VecdIndex

/// One immutable segment of a collection, served in place: the mapped file, an ``HNSWIndex`` over its mapping, the
/// slot → id map, and the rows deleted since it was written.
///
/// `deletions`, `deletionFileName` and `isDirty` change only under the collection's writer lock; searches read the
/// index's own tombstones (the index locks them), so they never touch these fields.
final class CollectionSegment: @unchecked Sendable {
    let segmentID: UInt64
    let fileName: String
    let path: String
    let reader: SegmentReader
    let index: HNSWIndex
    /// Caller id of each row.
    let ids: [UInt64]
    var deletions: DeletionBitmap
    /// The bitmap file the manifest names, nil when none was written yet.
    var deletionFileName: String?
    /// Whether `deletions` holds rows that no bitmap file does yet (written at the next manifest commit).
    var isDirty = false

    var rowCount: Int { reader.header.rowCount }

    /// Maps the segment `entry` names in `directory` and its deletion bitmap. Damage throws a ``StorageError`` naming
    /// the damaged file.
    ///
    /// `checksBlocks` (every open of an existing file) checks every block's checksum first
    /// (``SegmentReader/verifyBlockChecksums()``), so no search is ever served from a damaged row or link; a segment
    /// this process has just written skips it.
    init(directory: DataDirectory, entry: Manifest.Segment, checksBlocks: Bool = true) throws(StorageError) {
        segmentID = entry.segmentID
        fileName = entry.fileName
        let path = directory.file(entry.fileName)
        self.path = path
        // Compact segments serve in low-RAM mode: the walk maps only the compact rows and the graph, and the re-rank
        // reads its few Float32 rows with pread.
        let reader = try SegmentReader(path: path, rowAccess: .readOnDemand)
        self.reader = reader
        if checksBlocks { try reader.verifyBlockChecksums() }
        let header = reader.header
        guard header.segmentID == entry.segmentID, UInt64(header.rowCount) == entry.rowCount else {
            throw .corrupt(
                path, offset: 0,
                "the manifest names segment \(entry.segmentID) of \(entry.rowCount) rows, the file holds segment "
                    + "\(header.segmentID) of \(header.rowCount) rows")
        }
        guard case .numbers(let numbers) = try reader.ids() else {
            throw .corrupt(path, offset: nil, "a collection segment holds numeric ids, this one byte-string ids")
        }
        ids = numbers
        var deletions = DeletionBitmap(segmentID: entry.segmentID, rowCount: header.rowCount)
        if let name = entry.deletionFileName {
            let bitmapPath = directory.file(name)
            deletions = try DeletionBitmap.read(from: bitmapPath)
            guard deletions.segmentID == entry.segmentID, deletions.rowCount == header.rowCount else {
                throw .corrupt(
                    bitmapPath, offset: 16,
                    "bitmap of segment \(deletions.segmentID) with \(deletions.rowCount) rows; expected segment "
                        + "\(entry.segmentID) with \(header.rowCount) rows")
            }
        }
        self.deletions = deletions
        deletionFileName = entry.deletionFileName
        index = try SegmentMapping(reader: reader).index(tombstones: deletions.words)
    }

    /// Marks `row` deleted, for searches at once and for the next manifest commit.
    func tombstone(_ row: Int) {
        guard deletions.insert(row) else { return }
        isDirty = true
        do { try index.delete(Slot(row)) } catch { preconditionFailure("row \(row) of a \(rowCount)-row segment") }
    }

    /// The manifest entry for this segment as it stands.
    var manifestEntry: Manifest.Segment {
        Manifest.Segment(
            segmentID: segmentID, fileName: fileName, rowCount: UInt64(rowCount), deletionFileName: deletionFileName,
            deletedCount: UInt64(deletions.deletedCount))
    }

    /// A copy of row `row`'s stored Float32 vector (unit length under cosine); throws when it cannot be read.
    func vector(row: Int) throws(StorageError) -> [Float] {
        var vector: [Float] = []
        try reader.appendVector(row: row, to: &vector)
        return vector
    }
}

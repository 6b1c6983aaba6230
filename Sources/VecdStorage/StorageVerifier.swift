import VecdIndex

/// What ``StorageVerifier/verify(_:)`` found in a data directory.
public struct StorageVerificationReport: Sendable {
    /// The manifest's generation, or nil when the directory has no manifest.
    public var manifestGeneration: UInt64?
    public var segmentCount = 0
    /// Bytes of segment files read and checked.
    public var segmentByteCount = 0
    /// Rows in all segments, and how many of them are deleted.
    public var rowCount = 0
    public var deletedCount = 0
    public var walFileCount = 0
    public var walRecordCount = 0
    /// An incomplete last WAL record (a write cut short by a crash, never acknowledged); not damage, but reported.
    public var walTornTail: WALTornTail?
    /// Every problem found, each naming its file; empty when the directory is sound.
    public var problems: [StorageError] = []

    /// Whether every file passed.
    public var isClean: Bool { problems.isEmpty }
}

/// Checks every byte of a data directory under its checksum (`vecd verify`): the manifest, each segment it names
/// (header, table, every block and its padding, the graph's shape), each deletion bitmap, and the whole WAL; and
/// that they agree with each other. Read-only: it takes no lock and changes nothing, so it runs beside a writer
/// (files it reads are immutable or replaced atomically).
public enum StorageVerifier {
    public static func verify(_ directory: DataDirectory) -> StorageVerificationReport {
        var report = StorageVerificationReport()
        var manifest: Manifest?
        do {
            manifest = try Manifest.load(directory: directory.path)
        } catch {
            report.problems.append(error)
        }
        report.manifestGeneration = manifest?.generation
        for collection in manifest?.collections ?? [] {
            for entry in collection.segments {
                check(entry, of: collection, in: directory, into: &report)
            }
        }
        do {
            let summary = try WALReader.verify(directory: directory.walDirectory)
            report.walFileCount = summary.paths.count
            report.walRecordCount = summary.recordCount
            report.walTornTail = summary.tornTail
            let covered = manifest?.coveredSequence ?? .zero
            if let oldest = try WALReader.files(in: directory.walDirectory).first, oldest.first > covered.next {
                report.problems.append(
                    .corrupt(
                        oldest.path, offset: 16,
                        "the WAL starts at \(oldest.first) but the manifest covers only through \(covered): records are missing"
                    ))
            }
        } catch {
            report.problems.append(error)
        }
        return report
    }

    private static func check(
        _ entry: Manifest.Segment, of collection: Manifest.Collection, in directory: DataDirectory,
        into report: inout StorageVerificationReport
    ) {
        let path = directory.file(entry.fileName)
        do throws(StorageError) {
            let segment = try SegmentReader(path: path)
            try segment.verify()
            let header = segment.header
            report.segmentCount += 1
            report.segmentByteCount += header.fileByteCount
            report.rowCount += header.rowCount
            report.deletedCount += Int(entry.deletedCount)
            let p = header.parameters
            guard header.segmentID == entry.segmentID, UInt64(header.rowCount) == entry.rowCount,
                p.dimension == Int(collection.dimension), p.metric == collection.metric
            else {
                throw StorageError.corrupt(
                    path, offset: 0,
                    "segment \(header.segmentID) (\(header.rowCount) rows, \(p.dimension)-d \(p.metric)) does not match the manifest's entry \(entry.segmentID) (\(entry.rowCount) rows) in collection \(collection.name) (\(collection.dimension)-d \(collection.metric))"
                )
            }
            if let name = entry.deletionFileName {
                let bitmapPath = directory.file(name)
                let bitmap = try DeletionBitmap.read(from: bitmapPath)
                guard bitmap.segmentID == entry.segmentID, bitmap.rowCount == header.rowCount,
                    UInt64(bitmap.deletedCount) == entry.deletedCount
                else {
                    throw StorageError.corrupt(
                        bitmapPath, offset: 16,
                        "bitmap for segment \(bitmap.segmentID) with \(bitmap.rowCount) rows and \(bitmap.deletedCount) deletions does not match the manifest (segment \(entry.segmentID), \(entry.rowCount) rows, \(entry.deletedCount) deletions)"
                    )
                }
            } else if entry.deletedCount != 0 {
                throw StorageError.corrupt(
                    directory.manifestPath, "segment \(entry.segmentID) counts deletions but names no bitmap")
            }
        } catch {
            report.problems.append(error)
        }
    }
}

import Foundation
import Testing
import VecdKernels

@testable import VecdStorage
import VecdTestSupport

@Suite("Verifying a whole data directory")
struct StorageVerifierTests {
    /// A directory with one collection: a 50-row segment with 2 deletions, and 4 WAL records after the flush.
    static func makeDirectory(in temporary: TemporaryDirectory) throws -> DataDirectory {
        let dir = DataDirectory(path: temporary.path)
        let fixture = SegmentFixture(rows: 50)
        try fixture.write(to: dir.file("c1-7.vseg"), pageByteCount: 4096, segmentID: 7)
        var bitmap = DeletionBitmap(segmentID: 7, rowCount: 50)
        bitmap.insert(3)
        bitmap.insert(49)
        try bitmap.write(to: dir.file("c1-7.1.del"))
        let wal = try WALWriter(directory: dir.walDirectory, policy: .perWrite, after: SequenceNumber(50))
        try wal.append(contentsOf: WALTests.sampleEntries(4))
        try wal.close()
        let manifest = Manifest(
            generation: 3,
            collections: [
                Manifest.Collection(
                    id: 1, name: "docs", dimension: 5, metric: .cosine, coveredSequence: SequenceNumber(50),
                    segments: [
                        Manifest.Segment(
                            segmentID: 7, fileName: "c1-7.vseg", rowCount: 50, deletionFileName: "c1-7.1.del",
                            deletedCount: 2)
                    ])
            ])
        try manifest.save(directory: dir.path)
        return dir
    }

    @Test("a sound directory verifies clean and the report counts its contents")
    func clean() throws {
        let dirOwner = TemporaryDirectory()
        defer { withExtendedLifetime(dirOwner) {} }
        let dir = try Self.makeDirectory(in: dirOwner)
        let report = StorageVerifier.verify(dir)
        #expect(report.isClean, "\(report.problems)")
        #expect(report.manifestGeneration == 3 && report.segmentCount == 1 && report.rowCount == 50)
        #expect(report.deletedCount == 2 && report.walFileCount == 1 && report.walRecordCount == 4)
        #expect(report.segmentByteCount > 0 && report.walTornTail == nil)
    }

    @Test("a damaged segment block, a mismatched bitmap and a missing file are each reported, naming the file")
    func problems() throws {
        let dirOwner = TemporaryDirectory()
        defer { withExtendedLifetime(dirOwner) {} }
        let dir = try Self.makeDirectory(in: dirOwner)
        let segment = try SegmentReader(path: dir.file("c1-7.vseg"))
        let linksOffset = try #require(segment.block(of: .groundLinks)).offset
        let fd = open(dir.file("c1-7.vseg"), O_RDWR)
        flip(fd, bit: (linksOffset + 9) * 8)
        close(fd)
        try DeletionBitmap(segmentID: 8, rowCount: 50).write(to: dir.file("c1-7.1.del"))
        try FileSystem.removeFile(dir.file("c1-7.vseg"))  // first damaged, now gone entirely
        var report = StorageVerifier.verify(dir)
        #expect(report.problems.count == 1 && report.problems.first?.code == .notFound)
        #expect(report.problems.first?.path == dir.file("c1-7.vseg"))

        let secondOwner = TemporaryDirectory()
        defer { withExtendedLifetime(secondOwner) {} }
        let second = try Self.makeDirectory(in: secondOwner)
        let fd2 = open(second.file("c1-7.vseg"), O_RDWR)
        flip(fd2, bit: (linksOffset + 9) * 8)
        close(fd2)
        report = StorageVerifier.verify(second)
        #expect(report.problems.map(\.path) == [second.file("c1-7.vseg")])
        #expect(report.problems.first?.detail.contains("links.ground") == true)

        let thirdOwner = TemporaryDirectory()
        defer { withExtendedLifetime(thirdOwner) {} }
        let third = try Self.makeDirectory(in: thirdOwner)
        try DeletionBitmap(segmentID: 8, rowCount: 50).write(to: third.file("c1-7.1.del"))
        report = StorageVerifier.verify(third)
        #expect(report.problems.map(\.path) == [third.file("c1-7.1.del")])
    }

    @Test("a torn WAL tail is reported without counting as damage; WAL records missing after the flush are damage")
    func walFindings() throws {
        let dirOwner = TemporaryDirectory()
        defer { withExtendedLifetime(dirOwner) {} }
        let dir = try Self.makeDirectory(in: dirOwner)
        let walFile = try #require(try WALReader.files(in: dir.walDirectory).first).path
        let bytes = try FileSystem.readFile(walFile)
        try overwrite(walFile, Array(bytes.dropLast(3)))
        var report = StorageVerifier.verify(dir)
        #expect(report.isClean && report.walTornTail?.path == walFile && report.walRecordCount == 3)

        var manifest = try #require(try Manifest.load(directory: dir.path))
        manifest.collections[0].coveredSequence = SequenceNumber(10)  // the WAL starts at 51: 11...50 are gone
        try manifest.save(directory: dir.path)
        report = StorageVerifier.verify(dir)
        #expect(report.problems.map(\.path) == [walFile])
    }
}

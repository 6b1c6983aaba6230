import Testing
import VecdKernels

@testable import VecdStorage
import VecdTestSupport

@Suite("Manifest and deletion bitmaps")
struct ManifestTests {
    static let sample = Manifest(
        generation: 7,
        collections: [
            Manifest.Collection(
                id: 1, name: "docs", dimension: 384, metric: .cosine, coveredSequence: SequenceNumber(1200),
                segments: [
                    Manifest.Segment(segmentID: 3, fileName: "seg-3.vseg", rowCount: 1000),
                    Manifest.Segment(
                        segmentID: 4, fileName: "seg-4.vseg", rowCount: 500, deletionFileName: "seg-4.1.del",
                        deletedCount: 12),
                ]),
            Manifest.Collection(id: 2, name: "mémoire", dimension: 3, metric: .l2),
        ])

    @Test("a manifest saved and loaded is equal, and the oldest covered sequence is the minimum")
    func roundTrip() throws {
        let dir = TemporaryDirectory()
        #expect(try Manifest.load(directory: dir.path) == nil)
        try Self.sample.save(directory: dir.path)
        #expect(try Manifest.load(directory: dir.path) == Self.sample)
        #expect(Self.sample.coveredSequence == .zero)
        var next = Self.sample
        next.generation += 1
        next.collections.removeLast()
        try next.save(directory: dir.path)
        #expect(try Manifest.load(directory: dir.path) == next)
        #expect(next.coveredSequence == SequenceNumber(1200))
        #expect(try FileSystem.listDirectory(dir.path) == ["MANIFEST"])
    }

    @Test("file names that leave the data directory are refused when writing and when reading")
    func fileNames() throws {
        let dir = TemporaryDirectory()
        var bad = Self.sample
        bad.collections[0].segments[0].fileName = "../etc/passwd"
        let error = caught { try bad.save(directory: dir.path) }
        #expect(error?.code == .invalidArgument && error?.isUserError == true)
        #expect(try Manifest.load(directory: dir.path) == nil)  // nothing was written
    }

    @Test("a newer major version is refused with a clear error naming the file")
    func newerVersion() throws {
        let dir = TemporaryDirectory()
        try Self.sample.save(directory: dir.path)
        var bytes = try FileSystem.readFile(Manifest.path(in: dir.path))
        bytes[8] = 3
        try FileSystem.atomicReplace(path: Manifest.path(in: dir.path), data: bytes)
        let error = caught { _ = try Manifest.load(directory: dir.path) }
        #expect(error?.code == .versionTooNew && error?.path == Manifest.path(in: dir.path))
        #expect(error?.description.contains("upgrade vecd") == true)
    }

    @Test("a version 1 manifest (no externalSequence) is still read, with externalSequence 0")
    func readsVersion1() throws {
        let dir = TemporaryDirectory()
        var manifest = Self.sample
        manifest.collections = [manifest.collections[0]]
        manifest.collections[0].externalSequence = 9
        try manifest.save(directory: dir.path)
        var bytes = try FileSystem.readFile(Manifest.path(in: dir.path))
        // Version 1: major 1, and the collection record (at 32) without the 8 bytes of externalSequence (at 24).
        bytes[8] = 1
        bytes.removeSubrange((32 + 24)..<(32 + 32))
        bytes.removeLast(4)
        withUnsafeBytes(of: UInt64(bytes.count + 4).littleEndian) { for i in 0..<8 { bytes[24 + i] = $0[i] } }
        withUnsafeBytes(of: CRC32C.checksum(bytes).littleEndian) { bytes.append(contentsOf: $0) }
        try FileSystem.atomicReplace(path: Manifest.path(in: dir.path), data: bytes)
        var expected = manifest
        expected.collections[0].externalSequence = 0
        #expect(try Manifest.load(directory: dir.path) == expected)
    }

    @Test("a deletion bitmap round-trips through its file and counts its deletions")
    func bitmapRoundTrip() throws {
        let dir = TemporaryDirectory()
        var bitmap = DeletionBitmap(segmentID: 9, rowCount: 130)
        for row in [0, 63, 64, 129, 5] {
            let inserted = bitmap.insert(row)
            #expect(inserted)
        }
        let again = bitmap.insert(5)
        #expect(!again)
        #expect(bitmap.deletedCount == 5 && bitmap.contains(129) && !bitmap.contains(128))
        try bitmap.write(to: dir.file("s.del"))
        let read = try DeletionBitmap.read(from: dir.file("s.del"))
        #expect(read == bitmap)
        let empty = DeletionBitmap(segmentID: 1, rowCount: 0)
        #expect(try DeletionBitmap.decode(empty.encoded(), path: "e") == empty)
    }

    @Test("a bitmap whose header count disagrees with its bits is refused even with a valid checksum")
    func bitmapCountMismatch() throws {
        var bitmap = DeletionBitmap(segmentID: 1, rowCount: 10)
        bitmap.insert(3)
        var bytes = bitmap.encoded()
        bytes[32] = 2  // claims two deletions
        bytes.removeLast(4)
        let crc = CRC32C.checksum(bytes)
        withUnsafeBytes(of: crc.littleEndian) { bytes.append(contentsOf: $0) }
        let error = caught { _ = try DeletionBitmap.decode(bytes, path: "b.del") }
        #expect(error?.code == .corrupt && error?.path == "b.del" && error?.offset == 32)
    }
}

import Foundation
import Testing

@testable import VecdStorage
import VecdTestSupport

/// A small tmpfs mounted inside a test directory, for real ENOSPC and EROFS. Needs root with CAP_SYS_ADMIN (the
/// test and CI machines run as root); elsewhere the tests that need it are disabled, with that reason.
final class SmallFileSystem {
    let path: String
    private let owner: TemporaryDirectory

    init?(byteCount: Int) {
        owner = TemporaryDirectory()
        path = owner.file("mnt")
        mkdir(path, 0o755)
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(byteCount)") == 0 else { return nil }
    }

    deinit { umount2(path, Int32(MNT_DETACH)) }

    /// Makes the file system read-only (every file must be closed for writing first).
    func remountReadOnly() -> Bool {
        mount("tmpfs", path, nil, UInt(MS_REMOUNT | MS_RDONLY), nil) == 0
    }

    /// Fills the remaining space with a file, so that the next write fails with ENOSPC.
    func fill() {
        let fd = open(path + "/filler", O_WRONLY | O_CREAT, 0o644)
        let chunk = [UInt8](repeating: 7, count: 4096)
        while chunk.withUnsafeBytes({ write(fd, $0.baseAddress, 4096) }) > 0 {}
        close(fd)
    }

    func freeSpace() { unlink(path + "/filler") }

    static let available: Bool = SmallFileSystem(byteCount: 64 << 10) != nil
}

@Suite("Full disk and read-only directory")
struct FaultTests {
    @Test(
        "a full disk fails each writer with noSpace and damages nothing already stored",
        .enabled(if: SmallFileSystem.available, "needs root to mount a small tmpfs"))
    func fullDisk() throws {
        let fs = try #require(SmallFileSystem(byteCount: 512 << 10))
        let dir = fs.path
        try ManifestTests.sample.save(directory: dir)
        let wal = try WALWriter(directory: dir + "/wal", policy: .perWrite)
        let entries = WALTests.sampleEntries(5)
        try wal.append(contentsOf: entries)
        fs.fill()

        let manifestError = caught { try Manifest(generation: 99).save(directory: dir) }
        #expect(manifestError?.code == .noSpace && manifestError?.errno == ENOSPC)
        #expect(try Manifest.load(directory: dir) == ManifestTests.sample)
        #expect(!FileSystem.exists(Manifest.path(in: dir) + ".tmp"))

        let big = WALEntry.upsert(collection: 1, id: .number(1), vector: [Float](repeating: 1, count: 4096))
        let walError = caught { try wal.append(big) }
        #expect(walError?.code == .noSpace)
        #expect(try WALTests.readAll(dir + "/wal").0.map(\.entry) == entries)

        let segmentError = caught { try SegmentFixture(rows: 500).write(to: dir + "/s.vseg", pageByteCount: 4096) }
        #expect(segmentError?.code == .noSpace)
        #expect(!FileSystem.exists(dir + "/s.vseg") && !FileSystem.exists(dir + "/s.vseg.tmp"))

        // Once space is back, the same writer carries on: a failed write (unlike a failed fsync) does not poison it.
        fs.freeSpace()
        #expect(try wal.append(big) == SequenceNumber(6))
        try wal.close()
        #expect(try WALTests.readAll(dir + "/wal").0.map(\.entry) == entries + [big])
    }

    @Test(
        "a read-only file system refuses writers with readOnly while readers keep working",
        .enabled(if: SmallFileSystem.available, "needs root to mount a small tmpfs"))
    func readOnlyFileSystem() throws {
        let fs = try #require(SmallFileSystem(byteCount: 512 << 10))
        let dir = fs.path
        try ManifestTests.sample.save(directory: dir)
        do {
            let wal = try WALWriter(directory: dir + "/wal", policy: .perWrite)
            try wal.append(contentsOf: WALTests.sampleEntries(3))
        }
        try SegmentFixture(rows: 10).write(to: dir + "/s.vseg", pageByteCount: 4096)
        #expect(fs.remountReadOnly())

        #expect(caught { try Manifest(generation: 2).save(directory: dir) }?.code == .readOnly)
        #expect(caught { _ = try WALWriter(directory: dir + "/wal") }?.code == .readOnly)
        #expect(caught { _ = try DirectoryLock(directory: dir) }?.code == .readOnly)
        let error = caught { try SegmentFixture(rows: 10).write(to: dir + "/t.vseg") }
        #expect(error?.code == .readOnly && error?.isUserError == true)

        #expect(try Manifest.load(directory: dir) == ManifestTests.sample)
        #expect(try WALTests.readAll(dir + "/wal").0.count == 3)
        try SegmentReader(path: dir + "/s.vseg").verify()
    }

    @Test(
        "a directory without write permission refuses writers with readOnly (skipped as root, who bypasses it)",
        .enabled(if: geteuid() != 0, "root ignores directory permissions; the tmpfs test covers read-only as root"))
    func permissionDenied() throws {
        let dir = TemporaryDirectory()
        try ManifestTests.sample.save(directory: dir.path)
        chmod(dir.path, 0o555)
        defer { chmod(dir.path, 0o755) }
        #expect(caught { try Manifest(generation: 2).save(directory: dir.path) }?.code == .readOnly)
        #expect(try Manifest.load(directory: dir.path) == ManifestTests.sample)
    }
}

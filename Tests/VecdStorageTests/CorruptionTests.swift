import Foundation
import Testing
import VecdIndex

@testable import VecdStorage
import VecdTestSupport

/// The corruption corpus: every file kind truncated at many offsets and bit-flipped across the whole file must be
/// refused with an error that names the file (or, for the WAL's last record, dropped as a torn tail), never crash
/// and never return altered data.
@Suite("Corruption corpus")
struct CorruptionTests {
    // MARK: Manifest and deletion bitmap: every truncation, every bit.

    @Test("a manifest truncated anywhere or with any single bit flipped is refused, naming the file")
    func manifest() throws {
        let dir = TemporaryDirectory()
        try ManifestTests.sample.save(directory: dir.path)
        let path = Manifest.path(in: dir.path)
        let original = try FileSystem.readFile(path)
        // Through the file once (the path in the error comes from the loader), then in memory for speed.
        try overwrite(path, Array(original.dropLast()))
        #expect(caught { _ = try Manifest.load(directory: dir.path) }?.path == path)
        try forEachDamage(of: original, bitStride: 1) { damaged, what in
            let error = caught { _ = try ManifestCodec.decode(damaged, path: path) }
            #expect(error?.path == path && (error?.code == .corrupt || error?.code == .versionTooNew), "\(what)")
        }
    }

    @Test("a deletion bitmap truncated anywhere or with any single bit flipped is refused, naming the file")
    func bitmap() throws {
        var bitmap = DeletionBitmap(segmentID: 3, rowCount: 200)
        for row in stride(from: 0, to: 200, by: 7) { bitmap.insert(row) }
        let original = bitmap.encoded()
        try forEachDamage(of: original, bitStride: 1) { damaged, what in
            let error = caught { _ = try DeletionBitmap.decode(damaged, path: "seg-3.del") }
            #expect(error?.path == "seg-3.del" && (error?.code == .corrupt || error?.code == .versionTooNew), "\(what)")
        }
    }

    // MARK: WAL: damage is an error, except in the last record, which is indistinguishable from a torn write.

    @Test("a WAL truncated anywhere yields a prefix of its records or an error naming the file")
    func walTruncation() throws {
        let dir = TemporaryDirectory()
        let entries = WALTests.sampleEntries(12)
        let path = try Self.writeWAL(entries, in: dir.path)
        let original = try FileSystem.readFile(path)
        for length in 0..<original.count {
            try overwrite(path, Array(original.prefix(length)))
            var records: [WALEntry] = []
            let error = caught { _ = try WALReader.replay(directory: dir.path) { records.append($0.entry) } }
            if length < WALFormat.fileHeaderByteCount {
                #expect(error?.code == .corrupt && error?.path == path, "cut at \(length)")
            } else {
                #expect(error == nil, "cut at \(length): \(String(describing: error))")
                #expect(records == Array(entries.prefix(records.count)), "cut at \(length)")
            }
        }
    }

    @Test("a bit flipped anywhere in a WAL is an error naming the file, or drops only the last record as torn")
    func walBitFlips() throws {
        let dir = TemporaryDirectory()
        let entries = WALTests.sampleEntries(6)
        let path = try Self.writeWAL(entries, in: dir.path)
        let original = try FileSystem.readFile(path)
        var lastRecordStart = WALFormat.fileHeaderByteCount
        original.withUnsafeBytes { raw in
            var offset = lastRecordStart
            while let frame = WALFormat.frame(at: offset, in: raw), offset + frame.byteCount < raw.count {
                offset += frame.byteCount
            }
            lastRecordStart = offset
        }
        for bit in stride(from: 0, to: original.count * 8, by: 3) {  // 3 is coprime with 8: every bit position
            var damaged = original
            damaged[bit / 8] ^= 1 << UInt8(bit % 8)
            try overwrite(path, damaged)
            var records: [WALEntry] = []
            let error = caught {
                let summary = try WALReader.replay(directory: dir.path) { records.append($0.entry) }
                #expect(summary.tornTail?.offset == lastRecordStart, "bit \(bit)")
            }
            if bit / 8 < lastRecordStart {
                #expect(error?.path == path && (error?.code == .corrupt || error?.code == .versionTooNew), "bit \(bit)")
            } else {
                #expect(error == nil && records == Array(entries.dropLast()), "bit \(bit)")
            }
        }
    }

    static func writeWAL(_ entries: [WALEntry], in directory: String) throws -> String {
        let wal = try WALWriter(directory: directory, policy: .perWrite)
        try wal.append(contentsOf: entries)
        try wal.close()
        return wal.filePaths[0]
    }

    // MARK: Segments: refused on open (header, table, size) or by verify (block checksums, padding included).

    @Test(
        "a segment truncated at any page or inside the header is refused on open, naming the file",
        arguments: SegmentTests.pageSizes)
    func segmentTruncation(pageByteCount: Int) throws {
        let dir = TemporaryDirectory()
        let path = dir.file("t.vseg")
        try SegmentFixture(rows: 120, storage: .int8).write(to: path, pageByteCount: pageByteCount)
        let original = try FileSystem.readFile(path)
        let cuts = Array(0..<300) + Array(stride(from: 300, to: original.count, by: 997)) + [original.count - 1]
        for cut in cuts {
            try overwrite(path, Array(original.prefix(cut)))
            let error = caught { _ = try SegmentReader(path: path) }
            #expect(error?.code == .corrupt && error?.path == path, "cut at \(cut)")
        }
        try FileSystem.atomicReplace(path: path, data: original + [0])
        #expect(caught { _ = try SegmentReader(path: path) }?.code == .corrupt)  // grown by one byte
    }

    @Test("a bit flipped in a segment's header, table, any block or padding is caught by open or verify")
    func segmentBitFlips() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("f.vseg")
        try SegmentFixture(rows: 120, storage: .float16, byteIDs: true).write(to: path, pageByteCount: 4096)
        let size = try FileSystem.readFile(path).count
        let file = open(path, O_RDWR)
        defer { close(file) }
        // Every bit of the header, every 3rd bit of the block table, then one bit of every 13th byte through the
        // table padding, the blocks and their padding.
        let positions =
            Array(0..<(8 * 128)) + Array(stride(from: 8 * 128, to: 8 * 600, by: 3))
            + stride(from: 600, to: size, by: 13).map { $0 * 8 + $0 % 8 }
        for bit in positions {
            flip(file, bit: bit)
            let error = caught { try SegmentReader(path: path).verify() }
            #expect(error?.path == path && (error?.code == .corrupt || error?.code == .versionTooNew), "bit \(bit)")
            flip(file, bit: bit)
        }
        try SegmentReader(path: path).verify()  // restored
    }

    @Test("a segment from a newer major version is refused as too new, before its checksum is judged")
    func segmentNewerVersion() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("n.vseg")
        try SegmentFixture(rows: 10).write(to: path, pageByteCount: 4096)
        let file = open(path, O_RDWR)
        flip(file, bit: 8 * 8 + 1)  // major version 1 -> 3
        close(file)
        let error = caught { _ = try SegmentReader(path: path) }
        #expect(
            error?.code == .versionTooNew && error?.path == path && error?.description.contains("upgrade vecd") == true)
    }

    @Test("wrong magic is reported as not a vecd file for every kind")
    func wrongMagic() throws {
        let dir = TemporaryDirectory()
        try SegmentFixture(rows: 3).write(to: dir.file("m.vseg"), pageByteCount: 4096)
        try ManifestTests.sample.save(directory: dir.path)
        let walPath = try Self.writeWAL(WALTests.sampleEntries(2), in: dir.file("wal"))
        try DeletionBitmap(segmentID: 1, rowCount: 5).write(to: dir.file("m.del"))
        for path in [dir.file("m.vseg"), Manifest.path(in: dir.path), walPath, dir.file("m.del")] {
            var bytes = try FileSystem.readFile(path)
            bytes[0] = UInt8(ascii: "X")
            try FileSystem.atomicReplace(path: path, data: bytes)
        }
        let errors = [
            caught { _ = try SegmentReader(path: dir.file("m.vseg")) },
            caught { _ = try Manifest.load(directory: dir.path) },
            caught { _ = try WALReader.verify(directory: dir.file("wal")) },
            caught { _ = try DeletionBitmap.read(from: dir.file("m.del")) },
        ]
        for error in errors {
            #expect(error?.code == .corrupt && error?.detail.contains("magic") == true, "\(String(describing: error))")
        }
    }
}

/// Truncations at every length and single-bit flips at every `bitStride`-th bit of `original`.
func forEachDamage(of original: [UInt8], bitStride: Int, _ body: ([UInt8], String) throws -> Void) throws {
    for length in 0..<original.count { try body(Array(original.prefix(length)), "truncated to \(length)") }
    for bit in stride(from: 0, to: original.count * 8, by: bitStride) {
        var damaged = original
        damaged[bit / 8] ^= 1 << UInt8(bit % 8)
        try body(damaged, "bit \(bit) flipped")
    }
}

/// Flips one bit of an open file in place.
func flip(_ descriptor: Int32, bit: Int) {
    var byte: UInt8 = 0
    precondition(pread(descriptor, &byte, 1, off_t(bit / 8)) == 1)
    byte ^= 1 << UInt8(bit % 8)
    precondition(pwrite(descriptor, &byte, 1, off_t(bit / 8)) == 1)
}

/// Replaces a file's content without the fsyncs of the real atomic replace (the corpus writes thousands of files).
func overwrite(_ path: String, _ bytes: [UInt8]) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

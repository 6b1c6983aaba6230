import Foundation
import Testing
import Vecd

/// A segment whose rows are damaged on disk is never served: the open checks every block's checksum, finds the
/// damage, and rebuilds the index from SQLite, saying so in `stats()`; searches then answer as before.
@Suite("Damaged segment rows")
struct StoreSegmentDamageTests {
    /// Where the Float32 rows start in a Float32 segment written with the default 16 KiB pages: the first block.
    static let rowsOffset = 16_384
    static let dimension = 8

    /// A store of 60 memories flushed to one segment, closed; returns the memories' ids and the segment's path.
    static func makeStore(_ directory: URL) async throws -> (ids: [String], segment: String) {
        let store = try VecdStore(directory: directory, configuration: StoreIndexFileTests.configuration(flushRows: 1_000))
        let ids = try await StoreIndexFileTests.addMemories(StoreIndexFileTests.vectors(60), to: store)
        // Flushes the index to a segment; outside the data directory, which refuses backups inside itself.
        let unused = StoreIndexFileTests.newDirectory()
        defer { try? FileManager.default.removeItem(at: unused) }
        try store.backup(to: unused)
        let segments = try StoreIndexFileTests.segmentFiles(directory)
        #expect(segments.count == 1)
        return (ids, try #require(segments.first))
    }

    /// Overwrites 4 bytes of `path` at `offset` with `value`'s bit pattern, in place.
    static func write(_ value: UInt32, to path: String, at offset: Int) throws {
        let file = try #require(FileHandle(forUpdatingAtPath: path))
        try file.seek(toOffset: UInt64(offset))
        try file.write(contentsOf: withUnsafeBytes(of: value.littleEndian) { Data($0) })
        try file.close()
    }

    static func read(_ path: String, at offset: Int) throws -> UInt32 {
        let file = try #require(FileHandle(forReadingAtPath: path))
        defer { try? file.close() }
        try file.seek(toOffset: UInt64(offset))
        let bytes = try #require(try file.read(upToCount: 4))
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
    }

    /// Reopens after the damage and checks: rebuilt with a reason, every memory found first by its own vector with a
    /// finite score, and verify clean.
    static func expectRebuiltAndCorrect(_ directory: URL, ids: [String], reason: String) async throws {
        let store = try VecdStore(directory: directory, configuration: StoreIndexFileTests.configuration())
        let rebuildReason = try store.stats().collections.first?.rebuildReason
        #expect(rebuildReason?.contains(reason) == true, "\(rebuildReason ?? "not rebuilt")")
        let vectors = StoreIndexFileTests.vectors(60)
        for (id, vector) in zip(ids, vectors) {
            let hits = try await store.searchMemories(.vector(vector), k: 3)
            #expect(hits.first?.memory.id == id)
            #expect(hits.allSatisfy { $0.score.isFinite && $0.score <= 1.000_01 }, "\(hits.map(\.score))")
        }
        let report = try store.verify()
        #expect(report.isConsistent, "\(report)")
    }

    @Test("one flipped exponent bit in a row is found at open and rebuilt; no memory outranks the right one")
    func flippedBit() async throws {
        let directory = StoreIndexFileTests.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (ids, segment) = try await Self.makeStore(directory)
        // Row 7, component 2: setting the exponent's top bit turns a component of a unit vector into ~1e38.
        let offset = Self.rowsOffset + (7 * Self.dimension + 2) * 4
        try Self.write(try Self.read(segment, at: offset) ^ 0x4000_0000, to: segment, at: offset)
        try await Self.expectRebuiltAndCorrect(directory, ids: ids, reason: "checksum")
    }

    @Test("a component turned +Infinity is found at open and rebuilt; every search answers with finite scores")
    func infiniteComponent() async throws {
        let directory = StoreIndexFileTests.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (ids, segment) = try await Self.makeStore(directory)
        try Self.write(Float.infinity.bitPattern, to: segment, at: Self.rowsOffset + (11 * Self.dimension) * 4)
        try await Self.expectRebuiltAndCorrect(directory, ids: ids, reason: "checksum")
    }

    @Test("a truncated segment is found at open and rebuilt")
    func truncated() async throws {
        let directory = StoreIndexFileTests.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (ids, segment) = try await Self.makeStore(directory)
        let file = try #require(FileHandle(forUpdatingAtPath: segment))
        try file.truncate(atOffset: try file.seekToEnd() - 4_096)
        try file.close()
        try await Self.expectRebuiltAndCorrect(directory, ids: ids, reason: "truncated")
    }
}

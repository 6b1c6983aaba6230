import Foundation
import Testing
import Vecd
import VecdKernels

/// The store's indexes live in segment files under `collections/<id>/` and are brought up to date from SQLite's
/// change log at open, instead of being rebuilt.
@Suite("Store index files")
struct StoreIndexFileTests {
    static func configuration(flushRows: Int = 25) -> VecdStore.Configuration {
        var configuration = VecdStore.Configuration()
        configuration.indexFlushRowCount = flushRows
        configuration.indexBuildThreads = 1
        return configuration
    }

    static func newDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("vecd-index-\(UUID())")
    }

    /// Deterministic unit-ish vectors.
    static func vectors(_ count: Int, dimension: Int = 8, seed: UInt64 = 7) -> [[Float]] {
        var state = seed
        return (0..<count).map { _ in
            (0..<dimension).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Float(Int64(bitPattern: state >> 11) % 2000 - 1000) / 1000
            }
        }
    }

    /// Adds `vectors` as memories and returns their ids.
    static func addMemories(_ vectors: [[Float]], to store: VecdStore) async throws -> [String] {
        var ids: [String] = []
        for (number, vector) in vectors.enumerated() {
            ids.append(try await store.addMemory(MemoryInput(content: "memory \(number)", vector: vector)).memory.id)
        }
        return ids
    }

    /// The ids of the `k` memories nearest each query.
    static func answers(_ store: VecdStore, _ queries: [[Float]]) async throws -> [[String]] {
        var all: [[String]] = []
        for query in queries { all.append(try await store.searchMemories(.vector(query), k: 5).map(\.memory.id)) }
        return all
    }

    @Test("a reopened store answers from its files, the same as before, with nothing rebuilt")
    func reopenWithoutRebuild() async throws {
        let directory = Self.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = Self.vectors(90)
        let queries = Self.vectors(6, seed: 99)
        let before: [[String]]
        do {
            let store = try VecdStore(directory: directory, configuration: Self.configuration())
            let ids = try await Self.addMemories(data, to: store)
            for id in ids.prefix(10) { try store.deleteMemory(id: id) }
            before = try await Self.answers(store, queries)
            let stats = try store.stats()
            #expect(stats.collections.first?.segmentCount ?? 0 >= 3)
        }
        let reopened = try VecdStore(directory: directory, configuration: Self.configuration())
        let stats = try reopened.stats()
        #expect(stats.collections.count == 1)
        #expect(stats.collections[0].rebuildReason == nil)
        #expect(stats.collections[0].indexedVectors == 80)
        #expect(try await Self.answers(reopened, queries) == before)
        let report = try reopened.verify()
        #expect(report.isConsistent, "\(report)")
    }

    @Test("closing a durable store writes its unflushed rows to a segment, so a restart replays nothing")
    func closeFlushes() async throws {
        let directory = Self.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let queries = Self.vectors(4, seed: 5)
        let before: [[String]]
        do {
            let store = try VecdStore(directory: directory, configuration: Self.configuration(flushRows: 1_000))
            _ = try await Self.addMemories(Self.vectors(40), to: store)
            #expect(try store.stats().collections[0].unflushedRows == 40)
            before = try await Self.answers(store, queries)
        }
        // The segment exists before any open could have written it.
        let files = FileManager.default.enumerator(atPath: directory.appendingPathComponent("collections").path)
        let segments = (files?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".vseg") }
        #expect(segments.count == 1, "\(segments)")
        let reopened = try VecdStore(directory: directory, configuration: Self.configuration(flushRows: 1_000))
        let stats = try reopened.stats().collections[0]
        #expect(stats.unflushedRows == 0 && stats.segmentCount == 1 && stats.indexedVectors == 40)
        #expect(try await Self.answers(reopened, queries) == before)
    }

    @Test("a second open of the same directory fails at once, naming the holder")
    func secondOpenRefused() throws {
        let directory = Self.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try VecdStore(directory: directory)
        let error = #expect(throws: VecdError.self) { try VecdStore(directory: directory) }
        #expect(error?.message.contains("open for writing") == true)
        _ = store
    }

    /// The segment files of the store's only collection.
    static func segmentFiles(_ directory: URL) throws -> [String] {
        let root = directory.appendingPathComponent("collections").path
        let collection = try #require(try FileManager.default.contentsOfDirectory(atPath: root).first)
        return try FileManager.default.contentsOfDirectory(atPath: root + "/" + collection)
            .filter { $0.hasSuffix(".vseg") }.map { root + "/" + collection + "/" + $0 }
    }

    /// Flips one byte of the file at `offset` (from the end when negative).
    static func flipByte(_ path: String, at offset: Int) throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[offset >= 0 ? offset : bytes.count + offset] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    @Test("index files damaged where the open reads them are rebuilt from SQLite, with the reason reported")
    func damagedFilesRebuilt() async throws {
        let directory = Self.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let queries = Self.vectors(4, seed: 5)
        let before: [[String]]
        do {
            let store = try VecdStore(directory: directory, configuration: Self.configuration())
            _ = try await Self.addMemories(Self.vectors(60), to: store)
            before = try await Self.answers(store, queries)
        }
        let segments = try Self.segmentFiles(directory)
        #expect(!segments.isEmpty)
        for path in segments { try Self.flipByte(path, at: 20) }  // inside the checksummed header
        let reopened = try VecdStore(directory: directory, configuration: Self.configuration())
        #expect(try reopened.stats().collections[0].rebuildReason != nil)
        #expect(try await Self.answers(reopened, queries) == before)
        #expect(try reopened.verify().isConsistent)
    }

    @Test("damage to a segment while the store is open is reported by verify and repaired by reindex")
    func damageFoundByVerify() async throws {
        let directory = Self.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let store = try VecdStore(directory: directory, configuration: Self.configuration(flushRows: 1_000))
            _ = try await Self.addMemories(Self.vectors(60), to: store)
            // Flushes the index to a segment; outside the data directory, which refuses backups inside itself.
            let unused = Self.newDirectory()
            defer { try? FileManager.default.removeItem(at: unused) }
            try store.backup(to: unused)
        }
        let segments = try Self.segmentFiles(directory)
        #expect(segments.count == 1)
        let reopened = try VecdStore(directory: directory, configuration: Self.configuration())
        #expect(try reopened.stats().collections[0].rebuildReason == nil)
        // The first block, one 16 KiB page in, holds the Float32 vectors. Damage before an open is found by the
        // open's checksums (StoreSegmentDamageTests); damage after it, by verify.
        let file = try #require(FileHandle(forUpdatingAtPath: segments[0]))
        try file.seek(toOffset: 16_384 + 5)
        let byte = try #require(try file.read(upToCount: 1))
        try file.seek(toOffset: 16_384 + 5)
        try file.write(contentsOf: [byte[0] ^ 0xFF])
        try file.close()
        let damaged = try reopened.verify()
        #expect(!damaged.isConsistent)
        #expect(damaged.indexProblems.values.first?.contains(".vseg") == true, "\(damaged.indexProblems)")
        try reopened.reindex()
        #expect(try reopened.verify().isConsistent)
    }

    @Test("compact drops deleted rows and reindex rebuilds, both keeping every answer")
    func compactAndReindex() async throws {
        let store = try VecdStore.temporary(configuration: Self.configuration())
        let ids = try await Self.addMemories(Self.vectors(100), to: store)
        for id in ids.prefix(30) { try store.deleteMemory(id: id) }
        let queries = Self.vectors(6, seed: 42)
        let before = try await Self.answers(store, queries)
        let steps = StepLog()
        let report = try store.compact(vacuum: true) { steps.append($0.step) }
        #expect(report.vacuumed)
        #expect(report.collections.values.first?.droppedRows ?? 0 >= 1)
        #expect(!steps.all.isEmpty)
        let stats = try store.stats().collections[0]
        #expect(stats.segmentCount == 1 && stats.deletedRows == 0 && stats.indexedVectors == 70)
        #expect(try await Self.answers(store, queries) == before)
        try store.reindex()
        // A rebuild asked for is reported as such, not as the damage a rebuild at open means.
        #expect(try store.stats().collections[0].reindexed && store.stats().collections[0].rebuildReason == nil)
        #expect(try await Self.answers(store, queries) == before)
        #expect(try store.verify().isConsistent)
    }

    @Test("a backup restores to a store that verifies and answers the same")
    func backupRestore() async throws {
        let store = try VecdStore.temporary(configuration: Self.configuration())
        let ids = try await Self.addMemories(Self.vectors(70), to: store)
        try store.deleteMemory(id: ids[3])
        let queries = Self.vectors(5, seed: 11)
        let before = try await Self.answers(store, queries)
        let backup = Self.newDirectory()
        let restored = Self.newDirectory()
        defer {
            try? FileManager.default.removeItem(at: backup)
            try? FileManager.default.removeItem(at: restored)
        }
        try store.backup(to: backup)
        #expect(throws: VecdError.self) { try store.backup(to: backup) }  // not empty any more
        try VecdStore.restore(from: backup, to: restored)
        let copy = try VecdStore(directory: restored, configuration: Self.configuration())
        #expect(try copy.stats().collections[0].rebuildReason == nil)
        #expect(try await Self.answers(copy, queries) == before)
        #expect(try copy.verify().isConsistent)
    }

    @Test("a store whose index directory is gone after the log was pruned rebuilds instead of serving too little")
    func missingIndexDirectory() async throws {
        let directory = Self.newDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let store = try VecdStore(directory: directory, configuration: Self.configuration())
            _ = try await Self.addMemories(Self.vectors(60), to: store)
        }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("collections"))
        let reopened = try VecdStore(directory: directory, configuration: Self.configuration())
        #expect(try reopened.stats().collections[0].indexedVectors == 60)
        #expect(try reopened.verify().isConsistent)
    }
}

/// Progress steps collected from a `@Sendable` callback.
final class StepLog: @unchecked Sendable {
    private let lock = NSLock()
    private var steps: [String] = []

    func append(_ step: String) { lock.withLock { steps.append(step) } }
    var all: [String] { lock.withLock { steps } }
}

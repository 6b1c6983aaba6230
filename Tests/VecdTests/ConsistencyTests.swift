import Foundation
import Testing
import Vecd
import VecdEmbed
import VecdKernels
import VecdSQLite

@Suite("SQLite and index consistency")
struct ConsistencyTests {
    /// Copies the store's files while it is open, as a kill -9 would leave them: SQLite writes through write(2) with
    /// no user-space buffer, so the copy holds exactly the committed transactions (the WAL not yet checkpointed).
    static func snapshot(_ store: VecdStore) throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-crash-\(UUID())")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for suffix in ["", "-wal"] {
            let source = store.directory.appendingPathComponent(VecdStore.databaseFileName + suffix)
            if FileManager.default.fileExists(atPath: source.path) {
                try FileManager.default.copyItem(
                    at: source, to: copy.appendingPathComponent(VecdStore.databaseFileName + suffix))
            }
        }
        return copy
    }

    @Test("a store copied mid-life (as a crash leaves it) reopens with every committed row and only those vectors")
    func crashCopy() async throws {
        let store = try VecdStore.temporary(embedder: WordHashEmbedder())
        try store.createCollection(CollectionInfo(name: "kb", dimension: 64, modelID: "test-word-hash"))
        var kept: [String] = []
        for i in 0..<30 {
            let result = try await store.ingest(
                [DocumentInput(title: "doc \(i)", content: "document number \(i)")], into: "kb")
            kept.append(result.documentIDs[0]!)
        }
        for id in kept.prefix(10) { try store.deleteDocument(id: id) }
        _ = try await store.addMemory(MemoryInput(content: "remember the milk"))
        try await store.cachePut(query: "hello", response: "world")
        #expect(try store.verify().isConsistent)
        let copy = try Self.snapshot(store)
        defer { try? FileManager.default.removeItem(at: copy) }
        let reopened = try VecdStore(directory: copy, embedder: WordHashEmbedder())
        let report = try reopened.verify()
        #expect(report.isConsistent, "\(report)")
        #expect(report.storedVectors["kb"] == 20)
        #expect(try reopened.documents(in: "kb").count == 20)
        let hit = try await reopened.searchChunks(.text("document number 25"), in: "kb", k: 1)
        #expect(hit.hits.first?.document.title == "doc 25")
        #expect(
            try await reopened.searchMemories(.text("remember the milk"), k: 1).first?.memory.content
                == "remember the milk")
    }

    @Test("a failed write leaves neither rows nor vectors behind")
    func failedWrite() async throws {
        let store = try VecdStore.temporary(embedder: WordHashEmbedder())
        try store.createCollection(CollectionInfo(name: "kb", dimension: 64))
        let vectors = [[Float](repeating: 0.1, count: 64), [Float](repeating: .infinity, count: 64)]
        let text = String(repeating: "word ", count: 400)
        let result = try await store.ingest(
            [DocumentInput(content: text, vectors: vectors)], into: "kb",
            chunking: ChunkingOptions(size: 1000, overlap: 0))
        #expect(result.job.status == .failed)
        let report = try store.verify()
        #expect(report.isConsistent)
        #expect(report.storedVectors["kb"] == 0)
    }

    @Test("a document over the size limit is refused as too large")
    func hugeText() async throws {
        var configuration = VecdStore.Configuration()
        configuration.maxDocumentByteCount = 1_000
        let store = try VecdStore.temporary(embedder: WordHashEmbedder(), configuration: configuration)
        try store.createCollection(CollectionInfo(name: "kb", dimension: 64))
        let result = try await store.ingest([DocumentInput(content: String(repeating: "a", count: 1_001))], into: "kb")
        #expect(result.job.errors.first?.error.hasPrefix("too_large") == true)
        #expect(try store.documents(in: "kb").isEmpty)
    }

    @Test("a collection's dimension is fixed: another collection of the same name is refused")
    func collectionConflicts() async throws {
        let store = try VecdStore.temporary()
        try store.createCollection(CollectionInfo(name: "kb", dimension: 1536))
        try store.createCollection(CollectionInfo(name: "chunks", dimension: 384))
        try store.createCollection(CollectionInfo(name: "kb", dimension: 1536))  // identical: accepted
        #expect(
            await expectVecdError(.dimensionMismatch) {
                try store.createCollection(CollectionInfo(name: "kb", dimension: 384))
            })
        #expect(
            await expectVecdError(.conflict) {
                try store.createCollection(CollectionInfo(name: "kb", dimension: 1536, metric: .l2))
            })
        #expect(
            await expectVecdError(.invalidArgument) {
                try store.createCollection(CollectionInfo(name: "_x", dimension: 3))
            })
        #expect(
            await expectVecdError(.invalidArgument) {
                try store.createCollection(CollectionInfo(name: "a'; DROP TABLE x", dimension: 3))
            })
        #expect(try store.collections().map(\.name) == ["chunks", "kb"])
    }

    @Test("a database from a newer vecd is refused with schema_too_new")
    func newerDatabase() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-newer-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        do { _ = try VecdStore(directory: directory) }
        let connection = try Connection(path: directory.appendingPathComponent(VecdStore.databaseFileName).path)
        try connection.run(
            "INSERT INTO vecd_schema_migrations (version, name, checksum, applied_at_ms) VALUES (999, 'future', 'x', 0)"
        )
        #expect(await expectVecdError(.schemaTooNew) { try VecdStore(directory: directory) })
    }

    @Test("a temporary store opens empty and consistent")
    func temporaryStore() throws {
        let store = try VecdStore.temporary()
        #expect(try store.collections().isEmpty)
        #expect(try store.verify().isConsistent)
    }
}

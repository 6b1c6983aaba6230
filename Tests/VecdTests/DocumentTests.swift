import Foundation
import Testing
import Vecd
import VecdEmbed

@Suite("Documents and ingestion")
struct DocumentTests {
    static func store(embedder: any Embedder = WordHashEmbedder()) throws -> VecdStore {
        let store = try VecdStore.temporary(embedder: embedder)
        try store.createCollection(CollectionInfo(name: "kb", dimension: embedder.dimension, modelID: embedder.modelID))
        return store
    }

    @Test("a document is chunked with overlap, stored with its chunks, and the job completes")
    func ingestOne() async throws {
        let store = try Self.store()
        let text = (0..<60).map { "Sentence number \($0) talks about volatility." }.joined(separator: " ")
        let result = try await store.ingest(
            [DocumentInput(title: "Vol", content: text, metadata: ["author": .string("ann")])], into: "kb",
            chunking: ChunkingOptions(size: 300, overlap: 60))
        #expect(result.job.status == .completed)
        #expect(result.job.processedDocuments == 1)
        #expect(result.job.progressPercent == 100)
        let id = try #require(result.documentIDs.first ?? nil)
        let chunks = try store.chunks(ofDocument: id)
        #expect(chunks.count == result.job.chunkCount)
        #expect(chunks.count > 5)
        let scalars = Array(text.unicodeScalars)
        for chunk in chunks {
            #expect(chunk.content.unicodeScalars.count <= 300)
            var slice = String.UnicodeScalarView()
            slice.append(contentsOf: scalars[chunk.startOffset..<chunk.endOffset])
            #expect(String(slice) == chunk.content)
        }
        for (a, b) in zip(chunks, chunks.dropFirst()) { #expect(b.startOffset < a.endOffset, "chunks overlap") }
        #expect(chunks.last?.endOffset == scalars.count)
        #expect(try store.vectorCount(collection: "kb") == chunks.count)
        #expect(try store.document(id: id).metadata["author"] == .string("ann"))
    }

    @Test("HTML loses its tags, scripts and entities before chunking")
    func html() async throws {
        let store = try Self.store()
        let html =
            "<html><head><style>p{}</style><script>var x=1</script></head><body><p>Fish &amp; chips</p></body></html>"
        let result = try await store.ingest([DocumentInput(content: html, documentType: .html)], into: "kb")
        let id = try #require(result.documentIDs.first ?? nil)
        #expect(try store.document(id: id).content == "Fish & chips")
    }

    @Test("a failing document is recorded and the rest are stored: the job is partial, with no orphan document")
    func partial() async throws {
        let store = try Self.store()
        let documents = [
            DocumentInput(title: "good", content: "alpha beta"),
            DocumentInput(title: "empty", content: "   "),
            DocumentInput(title: "bad vector", content: "gamma", vectors: [[Float](repeating: .nan, count: 64)]),
        ]
        let result = try await store.ingest(documents, into: "kb")
        #expect(result.job.status == .partial)
        #expect(result.job.processedDocuments == 1)
        #expect(result.job.failedDocuments == 2)
        #expect(result.job.errors.map(\.document) == ["empty", "bad vector"])
        #expect(result.documentIDs[1] == nil && result.documentIDs[2] == nil)
        #expect(try store.documents(in: "kb").count == 1)
        #expect(try store.vectorCount(collection: "kb") == 1)
    }

    @Test("an embedder that fails makes every document fail and stores nothing")
    func embedderFails() async throws {
        let store = try VecdStore.temporary(embedder: FailingEmbedder())
        try store.createCollection(CollectionInfo(name: "kb", dimension: 64))
        let result = try await store.ingest([DocumentInput(content: "a"), DocumentInput(content: "b")], into: "kb")
        #expect(result.job.status == .failed)
        #expect(try store.documents(in: "kb").isEmpty)
    }

    @Test("an embedder returning the wrong dimension is stopped at the first call")
    func lyingEmbedder() async throws {
        let store = try VecdStore.temporary(embedder: LyingEmbedder())
        try store.createCollection(CollectionInfo(name: "kb", dimension: 384))
        let result = try await store.ingest([DocumentInput(content: "hello")], into: "kb")
        #expect(result.job.errors.first?.error.contains("768") == true)
        #expect(try store.vectorCount(collection: "kb") == 0)
    }

    @Test("deleting a document removes its chunks and vectors; another tenant cannot see or delete it")
    func deleteAndIsolation() async throws {
        let store = try Self.store()
        let result = try await store.ingest([DocumentInput(content: "private notes")], into: "kb", tenant: "a")
        let id = try #require(result.documentIDs.first ?? nil)
        #expect(await expectVecdError(.notFound) { try store.document(id: id, tenant: "b") })
        #expect(await expectVecdError(.notFound) { try store.deleteDocument(id: id, tenant: "b") })
        try store.deleteDocument(id: id, tenant: "a")
        #expect(try store.chunks(ofDocument: id, tenant: "a").isEmpty)
        #expect(try store.vectorCount(collection: "kb") == 0)
    }

    @Test("documents, chunks and vectors survive reopening the directory, and search finds them")
    func reopen() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-reopen-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        var ids: [String?] = []
        do {
            let store = try VecdStore(directory: directory, embedder: WordHashEmbedder())
            try store.createCollection(CollectionInfo(name: "kb", dimension: 64, modelID: "test-word-hash"))
            ids = try await store.ingest(
                [
                    DocumentInput(content: "first doc"), DocumentInput(content: "second doc"),
                    DocumentInput(content: "third doc"),
                ], into: "kb"
            ).documentIDs
            try store.deleteDocument(id: ids[0]!)
        }
        let store = try VecdStore(directory: directory, embedder: WordHashEmbedder())
        #expect(try store.vectorCount(collection: "kb") == 2)
        let hits = try await store.searchChunks(.text("third doc"), in: "kb", k: 1)
        #expect(hits.hits.first?.document.id == ids[2])
    }

    @Test("a submitted ingestion is queued at once and finishes in the background")
    func submitted() async throws {
        let store = try Self.store()
        let ticket = try store.submitIngestion(
            [DocumentInput(content: "one"), DocumentInput(content: "two")], into: "kb")
        #expect(ticket.job.status == .queued)
        #expect(ticket.job.totalDocuments == 2)
        let result = try await ticket.completion.value
        #expect(result.job.status == .completed)
        #expect(try store.ingestionJob(id: ticket.job.id).processedDocuments == 2)
        #expect(await expectVecdError(.notFound) { try store.ingestionJob(id: ticket.job.id, tenant: "other") })
    }
}

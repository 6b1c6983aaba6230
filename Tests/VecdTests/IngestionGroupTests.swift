import Foundation
import Testing
import Vecd

@Suite("Ingestion in groups and full-text query terms")
struct IngestionGroupTests {
    static func store() throws -> VecdStore {
        let store = try VecdStore.temporary(embedder: WordHashEmbedder())
        let embedder = WordHashEmbedder()
        try store.createCollection(CollectionInfo(name: "kb", dimension: 64, modelID: embedder.modelID))
        return store
    }

    @Test("across several groups, a duplicate id and an empty text fail alone; counts and errors follow input order")
    func failuresInsideGroups() async throws {
        let store = try Self.store()
        var documents = (0..<600).map { DocumentInput(title: "d\($0)", content: "word\($0) shared text") }
        documents[10].id = "same"
        documents[300].id = "same"
        documents[450].content = "  "
        let result = try await store.ingest(documents, into: "kb")
        #expect(result.job.status == .partial)
        #expect(result.job.processedDocuments == 598)
        #expect(result.job.failedDocuments == 2)
        #expect(result.job.chunkCount == 598)
        #expect(result.job.errors.map(\.document) == ["d300", "d450"])
        #expect(result.documentIDs[10] == "same")
        #expect(result.documentIDs[300] == nil && result.documentIDs[450] == nil)
        #expect(result.documentIDs.compactMap { $0 }.count == 598)
        #expect(try store.documents(in: "kb", limit: 10_000).count == 598)
        #expect(try store.vectorCount(collection: "kb") == 598)
        #expect(try store.chunks(ofDocument: "same").first?.content == "word10 shared text")
    }

    @Test("full-text search ranks by the rare words first, yet still fills k with chunks matching only common words")
    func commonWordsDropped() async throws {
        let store = try Self.store()
        var documents = (0..<40).map { DocumentInput(title: "t\($0)", content: "common frequent filler\($0)") }
        documents[7].content = "common frequent rare"
        _ = try await store.ingest(documents, into: "kb")

        // k = 1: the query without the common words answers alone.
        #expect(try store.fullTextSearch("common rare", in: "kb", k: 1).map(\.chunk.content) == ["common frequent rare"])
        // k = 10: one chunk has the rare word, so the search runs again with every word to fill k.
        let hits = try store.fullTextSearch("common rare", in: "kb", k: 10)
        #expect(hits.count == 10)
        #expect(hits.first?.chunk.content == "common frequent rare")
        #expect(try store.fullTextSearch("common", in: "kb", k: 10).count == 10)
        #expect(try store.fullTextSearch("common frequent", in: "kb", k: 10).count == 10)
        #expect(try store.fullTextSearch("the rare", in: "kb", k: 10).count == 1)
    }
}

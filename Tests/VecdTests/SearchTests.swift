import Foundation
import Testing
import Vecd
import VecdEmbed

@Suite("Vector, full-text and hybrid search")
struct SearchTests {
    /// A store with one collection and documents spread over two tenants, users, scopes, types and metadata.
    static func seeded() async throws -> VecdStore {
        let embedder = WordHashEmbedder()
        let store = try VecdStore.temporary(embedder: embedder)
        try store.createCollection(CollectionInfo(name: "kb", dimension: 64, modelID: embedder.modelID))
        var documents: [DocumentInput] = []
        for i in 0..<200 {
            let topic = ["volatility", "beta", "stress", "concentration"][i % 4]
            documents.append(
                DocumentInput(
                    title: "\(topic) note \(i)", content: "A note about \(topic) number \(i) for the portfolio",
                    documentType: i % 10 == 0 ? .markdown : .text, scope: i % 2 == 0 ? "page:overview" : "global",
                    metadata: ["author": .string(i % 3 == 0 ? "ann" : "bob"), "rank": .number(Double(i % 5))],
                    userID: i % 7 == 0 ? "u1" : (i % 7 == 1 ? "u2" : nil)))
        }
        _ = try await store.ingest(documents, into: "kb", chunking: .wholeDocument)
        _ = try await store.ingest(
            [DocumentInput(title: "secret", content: "volatility secret of tenant b")], into: "kb", tenant: "b",
            chunking: .wholeDocument)
        return store
    }

    @Test("vector search ranks the most similar chunk first and carries its document")
    func vector() async throws {
        let store = try await Self.seeded()
        let result = try await store.searchChunks(
            .text("A note about beta number 13 for the portfolio"), in: "kb", k: 5)
        #expect(result.hits.count == 5)
        #expect(result.hits.first?.document.title == "beta note 13")
        #expect(result.hits.first.map { $0.score > 0.99 } == true)
        #expect(zip(result.hits, result.hits.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test("filters on scope, type, metadata and user are applied inside the search and still fill k")
    func filters() async throws {
        let store = try await Self.seeded()
        let filter = DocumentFilter(
            scopes: ["page:overview"], documentTypes: [.markdown], metadata: ["author": .string("ann")])
        let result = try await store.searchChunks(.text("volatility"), in: "kb", filter: filter, k: 50)
        // Matching: i even, i % 10 == 0, i % 3 == 0 → i % 30 == 0 → 7 documents (0, 30, …, 180).
        #expect(result.hits.count == 7)
        for hit in result.hits {
            #expect(hit.document.scope == "page:overview")
            #expect(hit.document.documentType == .markdown)
            #expect(hit.document.metadata["author"] == .string("ann"))
        }
        let numeric = try await store.searchChunks(
            .text("beta"), in: "kb", filter: DocumentFilter(metadata: ["rank": .number(4)]), k: 100)
        #expect(numeric.hits.count == 40)
        let user = try await store.searchChunks(.text("stress"), in: "kb", filter: DocumentFilter(userID: "u1"), k: 200)
        #expect(user.hits.allSatisfy { $0.document.userID == nil || $0.document.userID == "u1" })
        #expect(user.hits.contains { $0.document.userID == "u1" })
    }

    @Test("a tenant never sees another tenant's chunks")
    func tenantIsolation() async throws {
        let store = try await Self.seeded()
        let a = try await store.searchChunks(.text("volatility secret of tenant b"), in: "kb", k: 300)
        #expect(!a.hits.contains { $0.document.title == "secret" })
        let b = try await store.searchChunks(
            .text("volatility"), in: "kb", filter: DocumentFilter(tenantID: "b"), k: 10)
        #expect(b.hits.map(\.document.title) == ["secret"])
        #expect(try store.fullTextSearch("secret", in: "kb").isEmpty)
    }

    @Test("a time range keeps only documents created inside it")
    func timeRange() async throws {
        let store = try await Self.seeded()
        let future = DocumentFilter(createdAfter: Date().addingTimeInterval(3600))
        #expect(try await store.searchChunks(.text("beta"), in: "kb", filter: future, k: 10).hits.isEmpty)
        let past = DocumentFilter(createdAfter: Date().addingTimeInterval(-3600))
        #expect(try await store.searchChunks(.text("beta"), in: "kb", filter: past, k: 10).hits.count == 10)
    }

    @Test("SQL in a metadata key is refused; SQL in a value matches nothing")
    func sqlLookingFilters() async throws {
        let store = try await Self.seeded()
        for key in ["a') OR 1=1 --", "author; DROP TABLE documents", "$.author", "a..b", ""] {
            #expect(
                await expectVecdError(.invalidFilter) {
                    try await store.searchChunks(
                        .text("beta"), in: "kb", filter: DocumentFilter(metadata: [key: .string("x")]))
                })
        }
        let injected = DocumentFilter(scopes: ["x' OR '1'='1"], metadata: ["author": .string("' OR 1=1 --")])
        #expect(try await store.searchChunks(.text("beta"), in: "kb", filter: injected, k: 10).hits.isEmpty)
        #expect(try store.fullTextSearch("beta\" OR * NEAR(", in: "kb", k: 3).count == 3)
        #expect(try store.documents(in: "kb", limit: 1000).count == 200)
    }

    @Test("full-text search ranks by bm25 and weights the title")
    func fullText() async throws {
        let store = try await Self.seeded()
        let hits = try store.fullTextSearch("concentration note 11", in: "kb", k: 5)
        #expect(hits.first?.document.title == "concentration note 11")
        #expect(hits.allSatisfy { $0.textScore != nil && $0.vectorScore == nil })
        #expect(await expectVecdError(.emptyText) { try store.fullTextSearch("   ", in: "kb") })
    }

    @Test("hybrid search fuses both rankings: a chunk strong in both comes first")
    func hybrid() async throws {
        let store = try await Self.seeded()
        let hits = try await store.hybridSearch("stress note 42", in: "kb", k: 10)
        #expect(hits.first?.document.title == "stress note 42")
        #expect(hits.first?.vectorScore != nil && hits.first?.textScore != nil)
        #expect(hits.count == 10)
        let textOnly = try await store.hybridSearch(
            "stress note 42", in: "kb", k: 3, weights: FusionWeights(vector: 0, text: 1))
        #expect(textOnly.first?.document.title == "stress note 42")
        #expect(
            await expectVecdError(.invalidArgument) {
                try await store.hybridSearch("x", in: "kb", weights: FusionWeights(vector: 0, text: 0))
            })
    }

    @Test("bad queries: wrong dimension, NaN, k out of range, unknown collection, no embedder")
    func badQueries() async throws {
        let store = try await Self.seeded()
        #expect(
            await expectVecdError(.dimensionMismatch) {
                try await store.searchChunks(.vector([1, 2, 3]), in: "kb")
            })
        var nan = [Float](repeating: 0.1, count: 64)
        nan[5] = .nan
        #expect(await expectVecdError(.invalidVector) { try await store.searchChunks(.vector(nan), in: "kb") })
        #expect(await expectVecdError(.invalidArgument) { try await store.searchChunks(.text("a"), in: "kb", k: 0) })
        #expect(await expectVecdError(.invalidArgument) { try await store.searchChunks(.text("a"), in: "kb", k: 1001) })
        #expect(await expectVecdError(.notFound) { try await store.searchChunks(.text("a"), in: "nope") })
        #expect(await expectVecdError(.emptyText) { try await store.searchChunks(.text(" "), in: "kb") })
        let raw = try VecdStore.temporary()
        try raw.createCollection(CollectionInfo(name: "kb", dimension: 3))
        #expect(await expectVecdError(.noEmbedder) { try await raw.searchChunks(.text("a"), in: "kb") })
    }

    @Test("raw vectors work without an embedder, and a similarity threshold drops weak hits")
    func rawVectors() async throws {
        let store = try VecdStore.temporary()
        try store.createCollection(CollectionInfo(name: "v", dimension: 3))
        _ = try await store.ingest(
            [
                DocumentInput(title: "x", content: "x axis", vectors: [[1, 0, 0]]),
                DocumentInput(title: "y", content: "y axis", vectors: [[0, 1, 0]]),
            ], into: "v")
        let hits = try await store.searchChunks(.vector([0.9, 0.1, 0]), in: "v", k: 2, minScore: 0.5)
        #expect(hits.hits.map(\.document.title) == ["x"])
    }
}

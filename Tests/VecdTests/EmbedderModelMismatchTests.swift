import Foundation
import Testing
import Vecd
import VecdEmbed

/// A store reopened with another embedder than the one that filled it refuses text for those collections, even when
/// the dimensions agree, and keeps every row; raw vectors and the original embedder still work.
@Suite("Embedder model mismatch")
struct EmbedderModelMismatchTests {
    /// A store directory filled by the offline embedder at 384 dimensions: a chunk, a memory, a knowledge item.
    static func filledDirectory() async throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-model-\(UUID())")
        let embedder = try HashingEmbedder(dimension: 384)
        let store = try VecdStore(directory: directory, embedder: embedder)
        try store.createCollection(CollectionInfo(name: "kb", dimension: 384, modelID: embedder.modelID))
        _ = try await store.ingest([DocumentInput(content: "turn on the kitchen lights at six")], into: "kb")
        _ = try await store.addMemory(MemoryInput(content: "prefers jazz in the morning"))
        _ = try await store.addKnowledgeItem(
            KnowledgeItemInput(type: .factual, category: "home", title: "lights", content: "kitchen lights"))
        return directory
    }

    @Test("another dimension or another recipe of the same size: text is refused naming both models, nothing changes",
        arguments: [512, 384])
    func refused(dimension: Int) async throws {
        let directory = try await Self.filledDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let recipe = HashingEmbedder.Recipe(word: 1, pair: 0, characterGrams: 1, rarityExponent: 0.6)
        let other = try HashingEmbedder(dimension: dimension, recipe: dimension == 384 ? recipe : .v1)
        let store = try VecdStore(directory: directory, embedder: other)
        do {
            _ = try await store.searchChunks(.text("kitchen lights"), in: "kb")
            Issue.record("a text search used \(other.modelID) against vecd-hashing-v1-384 vectors")
        } catch {
            #expect(error.code == .modelMismatch)
            #expect(error.message.contains("vecd-hashing-v1-384") && error.message.contains(other.modelID))
        }
        #expect(await expectVecdError(.modelMismatch) { try await store.searchMemories(.text("jazz")) })
        #expect(await expectVecdError(.modelMismatch) { try await store.findSimilarKnowledge(.text("lights")) })
        #expect(await expectVecdError(.modelMismatch) { try await store.hybridSearch("lights", in: "kb") })
        #expect(
            await expectVecdError(.modelMismatch) {
                try await store.addMemory(MemoryInput(content: "prefers rock in the evening"))
            })
        #expect(
            await expectVecdError(.modelMismatch) {
                try await store.ingest([DocumentInput(content: "open the garage door")], into: "kb")
            })
        #expect(try store.memories().count == 1)
        #expect(try store.documents(in: "kb").count == 1)
        #expect(try store.vectorCount(collection: "kb") == 1)
    }

    @Test("raw vectors still search a collection of another model, and the original embedder still works")
    func rawVectorsAndOriginalEmbedder() async throws {
        let directory = try await Self.filledDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try HashingEmbedder(dimension: 384)
        let query = try await original.embed(["kitchen lights"])[0]
        do {
            let store = try VecdStore(directory: directory, embedder: try HashingEmbedder(dimension: 512))
            #expect(try store.searchChunks(vector: query, in: "kb").hits.count == 1)
        }
        let store = try VecdStore(directory: directory, embedder: original)
        #expect(try await store.searchChunks(.text("kitchen lights"), in: "kb").hits.count == 1)
        #expect(try await store.searchMemories(.text("jazz")).count == 1)
    }
}

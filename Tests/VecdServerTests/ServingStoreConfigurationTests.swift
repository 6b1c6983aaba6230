import Foundation
import Testing
import Vecd
import VecdEmbed
import VecdServer

/// The store settings `vecd serve` uses: QueryGuard behind the offline embedder's measured cache threshold, so
/// paraphrases hit the semantic cache and requests that differ in meaning do not.
@Suite("vecd serve's store configuration")
struct ServingStoreConfigurationTests {
    static func servingStore() throws -> VecdStore {
        let embedder = try HashingEmbedder()
        return try VecdStore.temporary(embedder: embedder, configuration: .serving(embedder: embedder))
    }

    @Test("the offline embedder gets QueryGuard and its measured threshold; another embedder keeps the default")
    func settings() throws {
        let hashing = VecdStore.Configuration.serving(embedder: try HashingEmbedder())
        #expect(hashing.cacheSemanticThreshold == Double(QueryGuard.hashingEmbedderThreshold))
        #expect(hashing.nearDuplicateGuard is QueryNearDuplicateGuard)
        let none = VecdStore.Configuration.serving(embedder: nil)
        #expect(none.cacheSemanticThreshold == VecdStore.Configuration().cacheSemanticThreshold)
        #expect(none.nearDuplicateGuard is QueryNearDuplicateGuard)
    }

    @Test(
        "a reworded request hits the cache semantically",
        arguments: [
            ("turn on the kitchen lights", "switch the kitchen lights on"),
            ("set the living room to 21 degrees", "make the living room 21 degrees"),
        ])
    func paraphraseHits(cached: String, query: String) async throws {
        let store = try Self.servingStore()
        try await store.cachePut(query: cached, response: "done")
        let hit = try #require(try await store.cacheGet(query: query))
        guard case .semantic(let similarity) = hit.match else {
            Issue.record("expected a semantic hit, got \(hit.match)")
            return
        }
        #expect(similarity >= Double(QueryGuard.hashingEmbedderThreshold))
        #expect(hit.entry.response == "done")
    }

    @Test(
        "a request that differs in meaning misses, however close its embedding",
        arguments: [
            ("turn on the kitchen lights", "turn off the kitchen lights"),
            ("set a timer for 10 minutes", "set a timer for 10 seconds"),
            ("how old is the tower", "how tall is the tower"),
            ("lock the front door", "unlock the front door"),
        ])
    func differentMeaningMisses(cached: String, query: String) async throws {
        let store = try Self.servingStore()
        try await store.cachePut(query: cached, response: "done")
        #expect(try await store.cacheGet(query: query) == nil)
    }

    @Test("opposite memories stay two memories; the same memory again merges")
    func memoryMerges() async throws {
        let store = try Self.servingStore()
        let on = try await store.addMemory(MemoryInput(content: "The user wants the porch light on at night"))
        let off = try await store.addMemory(MemoryInput(content: "The user wants the porch light off at night"))
        #expect(!off.merged)
        let again = try await store.addMemory(MemoryInput(content: "The user wants the porch light on at night"))
        #expect(again.merged)
        #expect(again.memory.id == on.memory.id)
        #expect(try store.memories().count == 2)
    }
}

import Foundation
import Testing
import Vecd
import VecdEmbed

/// Input the embedder cannot use, and cache TTLs the clock cannot hold, are the caller's errors and store nothing.
@Suite("Refusals at the embedder boundary")
struct EmbedderRefusalTests {
    @Test("text of control characters only is empty_text, not an embedder failure")
    func controlCharactersOnly() async throws {
        let store = try VecdStore.temporary(embedder: try HashingEmbedder())
        await #expect(throws: VecdError(.emptyText, "the text has no words to embed (vecd-hashing-v1-512)")) {
            _ = try await store.addMemory(MemoryInput(content: "\u{91}\u{0C}"))
        }
        await #expect(throws: VecdError.self) {
            _ = try await store.searchMemories(.text("\u{91}\u{0C}"))
        }
        #expect(try store.memories().isEmpty)
    }

    @Test("a TTL past 100 years is refused instead of overflowing the clock")
    func hugeTTL() async throws {
        let store = try VecdStore.temporary(embedder: try HashingEmbedder())
        do {
            _ = try await store.cachePut(query: "q", response: "r", ttlSeconds: 1e20)
            Issue.record("a TTL of 1e20 seconds was accepted")
        } catch {
            #expect(error.code == .invalidArgument)
        }
        #expect(try store.cacheStats().entries == 0)
        let kept = try await store.cachePut(query: "q", response: "r", ttlSeconds: VecdStore.maxCacheTTLSeconds)
        #expect(kept.expiresAt != nil)
    }
}

import Foundation
import Testing
import Vecd
import VecdEmbed

@Suite("Response cache")
struct CacheTests {
    static func store(
        clock: ManualClock, embedder: (any Embedder)? = WordHashEmbedder(),
        adjust: (inout VecdStore.Configuration) -> Void = { _ in }
    ) throws -> VecdStore {
        var configuration = VecdStore.Configuration()
        configuration.clock = { clock.now }
        adjust(&configuration)
        return try VecdStore.temporary(embedder: embedder, configuration: configuration)
    }

    @Test("an exact hit ignores case, spacing and trailing punctuation, and counts hits and misses")
    func exact() async throws {
        let clock = ManualClock()
        let store = try Self.store(clock: clock)
        try await store.cachePut(query: "What is the weather today?", response: "Sunny")
        let hit = try await store.cacheGet(query: "what is  the weather today", semantic: false)
        #expect(hit?.entry.response == "Sunny")
        #expect(hit?.match == .exact)
        #expect(hit?.entry.hitCount == 1)
        #expect(try await store.cacheGet(query: "what is the weather tomorrow", semantic: false) == nil)
        let stats = try store.cacheStats()
        #expect(stats.hits == 1 && stats.misses == 1 && stats.entries == 1)
        #expect(stats.hitRate == 0.5)
        #expect(stats.bytes == "What is the weather today?".utf8.count + "Sunny".utf8.count)
    }

    @Test("entries expire after their TTL; clearing expired removes only those")
    func ttl() async throws {
        let clock = ManualClock()
        let store = try Self.store(clock: clock)
        try await store.cachePut(query: "short lived", response: "a", ttlSeconds: 60)
        try await store.cachePut(query: "long lived", response: "b", ttlSeconds: 3600)
        try await store.cachePut(query: "forever", response: "c", ttlSeconds: .infinity)
        clock.advance(seconds: 61)
        #expect(try await store.cacheGet(query: "short lived") == nil)
        #expect(try await store.cacheGet(query: "long lived")?.entry.response == "b")
        #expect(try store.clearCache() == 1)
        clock.advance(seconds: 100_000)
        #expect(try await store.cacheGet(query: "forever")?.entry.response == "c")
        #expect(try store.clearCache(all: true) == 2)
        #expect(try store.cacheStats().entries == 0)
        #expect(
            await expectVecdError(.invalidArgument) {
                try await store.cachePut(query: "q", response: "r", ttlSeconds: 0)
            })
    }

    @Test("over the entry cap, the least recently used entry is evicted")
    func lru() async throws {
        let clock = ManualClock()
        let store = try Self.store(clock: clock) { $0.cacheMaxEntries = 3 }
        for name in ["alpha", "bravo", "charlie"] {
            try await store.cachePut(query: name, response: name)
            clock.advance(seconds: 1)
        }
        _ = try await store.cacheGet(query: "alpha", semantic: false)  // alpha is now the most recent
        clock.advance(seconds: 1)
        try await store.cachePut(query: "delta", response: "delta")
        #expect(try await store.cacheGet(query: "bravo", semantic: false) == nil)
        #expect(try await store.cacheGet(query: "alpha", semantic: false) != nil)
        #expect(try store.cacheStats().entries == 3)
    }

    @Test("a semantic hit finds a paraphrase above the threshold, but never across negation or numbers")
    func semantic() async throws {
        let clock = ManualClock()
        let store = try Self.store(clock: clock) { $0.cacheSemanticThreshold = 0.8 }
        try await store.cachePut(query: "please turn on the kitchen lights", response: "ok, on")
        try await store.cachePut(query: "set the thermostat to 21 degrees", response: "set to 21")
        let paraphrase = try await store.cacheGet(query: "turn on the kitchen lights please now")
        #expect(paraphrase?.entry.response == "ok, on")
        if case .semantic(let similarity) = paraphrase?.match {
            #expect(similarity >= 0.8)
        } else {
            Issue.record("expected a semantic hit")
        }
        #expect(try await store.cacheGet(query: "please turn off the kitchen lights") == nil)
        #expect(try await store.cacheGet(query: "please don't turn on the kitchen lights") == nil)
        #expect(try await store.cacheGet(query: "set the thermostat to 25 degrees") == nil)
    }

    @Test("entries are keyed by tenant and model")
    func keyed() async throws {
        let clock = ManualClock()
        let store = try Self.store(clock: clock)
        try await store.cachePut(query: "hello", response: "tenant a", tenant: "a")
        #expect(try await store.cacheGet(query: "hello", tenant: "b") == nil)
        #expect(try await store.cacheGet(query: "hello", tenant: "a", modelID: "other-model") == nil)
        #expect(try await store.cacheGet(query: "hello", tenant: "a")?.entry.response == "tenant a")
        #expect(try store.cacheStats(tenant: "b").misses == 1)
    }

    @Test("a semantic hit is found past closer entries of other tenants and closer expired entries")
    func semanticPastOthers() async throws {
        let clock = ManualClock()
        let store = try Self.store(clock: clock) { $0.cacheSemanticThreshold = 0.8 }
        let query = "turn on the kitchen lights please now"
        // Tenant a's entries are closer to the query than tenant b's.
        for i in 0..<12 {  // more than the 8 candidates one lookup looks at
            try await store.cachePut(query: "\(query) \(String(repeating: "x", count: i + 1))", response: "a \(i)",
                                     tenant: "a")
        }
        try await store.cachePut(query: query + " again", response: "b expired", tenant: "b", ttlSeconds: 10)
        try await store.cachePut(query: "please turn on the kitchen lights", response: "b live", tenant: "b")
        clock.advance(seconds: 11)
        let hit = try await store.cacheGet(query: query, tenant: "b")
        #expect(hit?.entry.response == "b live")
        if case .semantic = hit?.match {} else { Issue.record("expected a semantic hit, got \(String(describing: hit))") }
        #expect(try await store.cacheGet(query: query, tenant: "c") == nil)
    }
}

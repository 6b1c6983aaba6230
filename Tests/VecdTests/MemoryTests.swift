import Foundation
import Testing
import Vecd
import VecdEmbed

@Suite("Memories")
struct MemoryTests {
    @Test("add, list, search, update and delete a memory")
    func lifecycle() async throws {
        let store = try VecdStore.temporary(embedder: WordHashEmbedder())
        let added = try await store.addMemory(
            MemoryInput(
                content: "The user prefers lights at 50% brightness in the evening", tags: ["preference", "lighting"],
                source: "user_feedback"))
        #expect(!added.merged)
        _ = try await store.addMemory(MemoryInput(content: "Do not give tax advice", tags: ["rule"]))
        #expect(try store.memories().count == 2)
        let hits = try await store.searchMemories(.text("lighting preferences brightness evening"), k: 5)
        #expect(hits.first?.memory.id == added.memory.id)
        #expect(hits.first?.memory.tags == ["preference", "lighting"])
        #expect(try store.memories(MemoryViewer(tags: ["rule"])).map(\.content) == ["Do not give tax advice"])
        let updated = try await store.updateMemory(id: added.memory.id, content: "Lights at 30% at night")
        #expect(updated.content == "Lights at 30% at night")
        #expect(updated.updatedAt > added.memory.updatedAt)
        #expect(
            try await store.searchMemories(.text("Lights at 30% at night"), k: 1).first?.memory.id == added.memory.id)
        #expect(try store.fullTextSearchMemories("night").first?.memory.id == added.memory.id)
        try store.deleteMemory(id: added.memory.id)
        #expect(try store.memories().count == 1)
        #expect(await expectVecdError(.notFound) { try store.memory(id: added.memory.id) })
    }

    @Test("a near-duplicate in the same scope updates the existing memory: newer text, merged tags")
    func merge() async throws {
        let store = try VecdStore.temporary(embedder: WordHashEmbedder())
        let first = try await store.addMemory(
            MemoryInput(content: "Default benchmark for this client is 60/40", tags: ["a"]))
        let second = try await store.addMemory(
            MemoryInput(content: "default benchmark for this client is 60/40.", tags: ["b", "a"]))
        #expect(second.merged)
        #expect(second.memory.id == first.memory.id)
        #expect(second.memory.content == "default benchmark for this client is 60/40.")
        #expect(second.memory.tags == ["a", "b"])
        #expect(try store.memories().count == 1)
        #expect(try store.vectorCount(collection: "_memories") == 1)
    }

    @Test(
        "no merge across negation, numbers or names, nor across scopes",
        arguments: [
            ("Turn the lights on in the kitchen", "Turn the lights off in the kitchen"),
            ("Set the thermostat to 20 degrees", "Set the thermostat to 25 degrees"),
            ("The user likes jazz music", "The user does not like jazz music"),
            ("Meeting with Alice every Monday", "Meeting with Bob every Monday"),
        ])
    func noMergeAcrossMeaning(a: String, b: String) async throws {
        var configuration = VecdStore.Configuration()
        configuration.memoryMergeThreshold = 0.5  // low, so only the guard can keep them apart
        let store = try VecdStore.temporary(embedder: WordHashEmbedder(), configuration: configuration)
        _ = try await store.addMemory(MemoryInput(content: a))
        let second = try await store.addMemory(MemoryInput(content: b))
        #expect(!second.merged)
        #expect(try store.memories().count == 2)
    }

    @Test("the same text in another scope or for another user is a separate memory")
    func scopesKeptApart() async throws {
        let store = try VecdStore.temporary(embedder: WordHashEmbedder())
        _ = try await store.addMemory(MemoryInput(content: "prefers brief answers", scope: .user, userID: "u1"))
        let other = try await store.addMemory(MemoryInput(content: "prefers brief answers", scope: .user, userID: "u2"))
        let tenantWide = try await store.addMemory(MemoryInput(content: "prefers brief answers", scope: .tenant))
        #expect(!other.merged && !tenantWide.merged)
        #expect(try store.memories(MemoryViewer(userID: "u1")).count == 2)  // own + tenant
        #expect(try store.memories(MemoryViewer()).count == 1)  // tenant only
    }

    @Test("tenants are isolated: no reads, searches, updates or deletes across them; global memories reach all")
    func isolation() async throws {
        let store = try VecdStore.temporary(embedder: WordHashEmbedder())
        let secret = try await store.addMemory(MemoryInput(content: "tenant a secret code"), tenant: "a")
        _ = try await store.addMemory(
            MemoryInput(content: "house rule for everyone", scope: .global), allowGlobal: true)
        let viewerB = MemoryViewer(tenantID: "b")
        #expect(try store.memories(viewerB).map(\.content) == ["house rule for everyone"])
        #expect(
            try await store.searchMemories(.text("tenant a secret code"), viewer: viewerB).allSatisfy {
                $0.memory.scope == .global
            })
        #expect(await expectVecdError(.notFound) { try store.memory(id: secret.memory.id, viewer: viewerB) })
        #expect(await expectVecdError(.notFound) { try store.deleteMemory(id: secret.memory.id, tenant: "b") })
        #expect(
            await expectVecdError(.notFound) {
                try await store.updateMemory(id: secret.memory.id, tenant: "b", content: "stolen")
            })
        #expect(
            await expectVecdError(.forbidden) {
                try await store.addMemory(MemoryInput(content: "x", scope: .global), tenant: "b")
            })
        #expect(
            try store.memory(id: secret.memory.id, viewer: MemoryViewer(tenantID: "a")).content
                == "tenant a secret code")
    }

    @Test("bad input stores nothing: empty text, NaN, wrong dimension, user scope without user")
    func badInput() async throws {
        let store = try VecdStore.temporary(embedder: WordHashEmbedder())
        #expect(await expectVecdError(.emptyText) { try await store.addMemory(MemoryInput(content: "  ")) })
        var nan = [Float](repeating: 0.1, count: 64)
        nan[0] = .nan
        #expect(
            await expectVecdError(.invalidVector) { try await store.addMemory(MemoryInput(content: "x", vector: nan)) })
        _ = try await store.addMemory(MemoryInput(content: "ok"))
        #expect(
            await expectVecdError(.dimensionMismatch) {
                try await store.addMemory(MemoryInput(content: "x", vector: [1, 2, 3]))
            })
        #expect(
            await expectVecdError(.invalidArgument) {
                try await store.addMemory(MemoryInput(content: "x", scope: .user))
            })
        #expect(try store.memories().map(\.content) == ["ok"])
    }
}

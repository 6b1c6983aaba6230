import Foundation
import Testing
import Vecd
import VecdEmbed

@Suite("Knowledge items")
struct KnowledgeTests {
    static func seeded() async throws -> (VecdStore, [KnowledgeItem]) {
        let store = try VecdStore.temporary(embedder: WordHashEmbedder())
        var items: [KnowledgeItem] = []
        items.append(
            try await store.addKnowledgeItem(
                KnowledgeItemInput(
                    type: .technicalDiscovery, category: "sqlite", title: "WAL needs shared memory",
                    content: "SQLite WAL mode fails on network file systems without shared memory",
                    contextData: ["project": .string("vecd")], importance: 80, retrievalTriggers: ["WAL", "nfs"])))
        items.append(
            try await store.addKnowledgeItem(
                KnowledgeItemInput(
                    type: .procedural, category: "deploy", title: "Restart the service",
                    content: "Run systemctl restart vecd after changing the config", importance: 40,
                    retrievalTriggers: ["restart", "systemd"])))
        items.append(
            try await store.addKnowledgeItem(
                KnowledgeItemInput(
                    type: .factual, category: "sqlite", title: "SQLite version",
                    content: "Debian 12 ships SQLite 3.40.1",
                    importance: 60)))
        return (store, items)
    }

    @Test("find_similar_knowledge returns items above the threshold, most similar first, filtered by type")
    func similar() async throws {
        let (store, items) = try await Self.seeded()
        let matches = try await store.findSimilarKnowledge(
            .text("WAL needs shared memory\nSQLite WAL mode fails on network file systems without shared memory"),
            threshold: 0.3)
        #expect(matches.first?.item.id == items[0].id)
        #expect(matches.first.map { $0.similarity > 0.99 } == true)
        #expect(matches.allSatisfy { $0.similarity >= 0.3 })
        let strict = try await store.findSimilarKnowledge(.text("systemctl restart"), threshold: 0.99)
        #expect(strict.isEmpty)
        let typed = try await store.findSimilarKnowledge(.text("SQLite"), type: .factual, threshold: -1)
        #expect(typed.map(\.item.id) == [items[2].id])
        #expect(try await store.findSimilarKnowledge(.text("SQLite"), threshold: -1, tenant: "other").isEmpty)
    }

    @Test("retrieval triggers and the project pull items in by importance")
    func contextual() async throws {
        let (store, items) = try await Self.seeded()
        let found = try store.contextualKnowledge(situation: "please RESTART it, the wal is stuck")
        #expect(found.map(\.id) == [items[0].id, items[1].id])
        #expect(
            try store.contextualKnowledge(situation: "nothing here", projectContext: "vecd").map(\.id) == [items[0].id])
        #expect(items[0].retrievalTriggers == ["nfs", "wal"])
    }

    @Test("relationships, sessions and access counts")
    func graph() async throws {
        let (store, items) = try await Self.seeded()
        let session = try store.startSession(identifier: "s-1", projectContext: "vecd")
        try store.relateKnowledge(
            from: items[0].id, to: items[2].id, type: .dependsOn, strength: 0.9, sessionID: session.id)
        try store.relateKnowledge(from: items[1].id, to: items[0].id, type: .enhances, strength: 0.4)
        #expect(try store.knowledgeRelationships(of: items[0].id).map(\.strength) == [0.9, 0.4])
        #expect(
            await expectVecdError(.conflict) {
                try store.relateKnowledge(from: items[0].id, to: items[2].id, type: .dependsOn, strength: 0.5)
            })
        #expect(
            await expectVecdError(.invalidArgument) {
                try store.relateKnowledge(from: items[0].id, to: items[1].id, type: .enhances, strength: 1.5)
            })
        try store.recordKnowledgeAccess(
            id: items[1].id, sessionID: session.id, interaction: .applied, effectivenessRating: 8)
        #expect(try store.knowledgeItem(id: items[1].id).accessCount == 1)
        #expect(try store.sessionKnowledge(id: session.id).map(\.interaction) == [.applied])
        try store.endSession(id: session.id, qualityScore: 90)
        try store.setKnowledgeValidation(id: items[2].id, .validated)
        #expect(try store.knowledgeItem(id: items[2].id).validationStatus == .validated)
        try store.deleteKnowledgeItem(id: items[0].id)
        #expect(try store.knowledgeRelationships(of: items[2].id).isEmpty)
        #expect(try store.vectorCount(collection: "_knowledge") == 2)
        #expect(await expectVecdError(.notFound) { try store.knowledgeItem(id: items[1].id, tenant: "other") })
    }
}

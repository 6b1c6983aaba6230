import Foundation
import Testing
import VecdEmbed
import VecdSQLite

@testable import Vecd

/// Full-text search over memories leaves the words found in more than half of them out first, as chunk search does.
@Suite("Memory full-text search and common words")
struct MemoryFullTextTests {
    /// A store of `count` distinct memories that all contain "shared"; number 7 alone contains "zeppelin".
    static func store(count: Int = 30) async throws -> VecdStore {
        let store = try VecdStore.temporary(embedder: WordHashEmbedder())
        for number in 0..<count {
            let subject = number == 7 ? "zeppelin" : "crate \(number * 13 + 5)"
            let content = "shared note \(number): the \(subject) sits on shelf \(number) of row \(number + 40)"
            let input = MemoryInput(content: content)
            #expect(try await !store.addMemory(input).merged)
        }
        return store
    }

    @Test("a word in every memory is left out of the narrow query; the rare word stays")
    func planDropsTheCommonWord() async throws {
        let store = try await Self.store()
        let database = store.directory.appendingPathComponent(VecdStore.databaseFileName).path
        let connection = try Connection(path: database, readOnly: true)
        let plan = try #require(try FullTextQuery.plan("Shared zeppelin", over: .memories, connection: connection))
        #expect(plan.full == #""shared" OR "zeppelin""#)
        #expect(plan.shape == .narrowed(#""zeppelin""#))
        // Only common words: nothing is ranked; the first matches fill k (they all score ~0 under bm25).
        let common = try #require(try FullTextQuery.plan("shared note", over: .memories, connection: connection))
        #expect(common.shape == .commonOnly)
        let rare = try #require(try FullTextQuery.plan("zeppelin", over: .memories, connection: connection))
        #expect(rare.shape == .plain)
    }

    @Test("a word in every memory does not crowd out the rare word, and k is still filled by common matches")
    func rareWordFirstCommonWordsFillK() async throws {
        let store = try await Self.store()
        let alone = try store.fullTextSearchMemories("shared zeppelin", k: 1)
        #expect(alone.map(\.memory.content) == ["shared note 7: the zeppelin sits on shelf 7 of row 47"])
        // One memory has the rare word, so the search runs again with every word to fill k.
        let filled = try store.fullTextSearchMemories("shared zeppelin", k: 10)
        #expect(filled.count == 10)
        #expect(filled.first?.memory.content.contains("zeppelin") == true)
        #expect(Set(filled.map(\.memory.id)).count == 10)
        // Only common words match: k memories still come back.
        #expect(try store.fullTextSearchMemories("shared note", k: 10).count == 10)
        #expect(try store.fullTextSearchMemories("shared", k: 25).count == 25)
        // A rare word no memory has, beside a common one: the common word's matches answer.
        #expect(try store.fullTextSearchMemories("shared blimp", k: 5).count == 5)
    }

    @Test("the narrow query respects who sees what: another tenant's memories never fill k")
    func tenantsStayApart() async throws {
        let store = try await Self.store(count: 12)
        _ = try await store.addMemory(MemoryInput(content: "shared zeppelin hangar plan"), tenant: "other")
        let hits = try store.fullTextSearchMemories("shared zeppelin", viewer: MemoryViewer(tenantID: "other"), k: 5)
        #expect(hits.map(\.memory.content) == ["shared zeppelin hangar plan"])
    }
}

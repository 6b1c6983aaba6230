import Foundation
import Testing
import Vecd
import VecdClient

/// The Swift client against a real server over loopback.
@Suite("VecdClient")
struct ClientTests {
    @Test("seed 002 round trip: memory, preference, feedback, training export, cache")
    func seedMemoryRoutes() async throws {
        let server = try await TestServer.start()
        let client = VecdClient(baseURL: server.baseURL)
        #expect(await client.isHealthy())
        let added = try await client.addMemory(content: "Kitchen lights dim to 30% after 22:00", tags: ["lighting"])
        #expect(added.merged == false)
        let again = try await client.addMemory(content: "Kitchen lights dim to 30% after 22:00", tags: ["night"])
        #expect(again.merged == true)
        #expect(again.id == added.id)
        let hits = try await client.searchMemories(query: "kitchen lights at night", limit: 3)
        #expect(hits.first?.id == added.id)
        #expect(Set(hits.first?.tags ?? []) == ["lighting", "night"])

        try await client.setPreference(key: "units.temperature", value: .string("celsius"), category: "units")
        #expect(try await client.preference(key: "units.temperature")?.value == .string("celsius"))
        #expect(try await client.preference(key: "units.length") == nil)

        let feedbackID = try await client.recordFeedback(interactionID: "conv_9", score: 4, comment: "fine")
        #expect(UUID(uuidString: feedbackID) != nil)
        _ = try server.store.addTrainingExample(input: "dim the kitchen", output: "done")
        #expect(try await client.exportTraining().count == 1)

        let stats = try await client.cacheStats()
        #expect(stats.entries == 0)
        #expect(try await client.clearCache(all: true) == 0)
        await server.stop()
    }

    @Test("refusals arrive as VecdClientError with the server's code and status")
    func errors() async throws {
        let server = try await TestServer.start()
        let client = VecdClient(baseURL: server.baseURL)
        await #expect(throws: VecdClientError.self) {
            try await client.recordFeedback(interactionID: "conv_1", score: 0)
        }
        do {
            _ = try await client.addMemory(content: "x", vector: [1, 2, 3])
            Issue.record("a 3-dimensional vector was accepted by a 384-dimensional store")
        } catch let error as VecdClientError {
            #expect(error.status == 400)
            #expect(error.code == "dimension_mismatch")
        }
        await server.stop()
    }

    @Test("a query with + & = and unicode reaches the server unchanged")
    func queryEscaping() async throws {
        let server = try await TestServer.start()
        let client = VecdClient(baseURL: server.baseURL)
        let key = "a+b=c&d ü"
        do {
            try await client.setPreference(key: key, value: .number(1))
            #expect(try await client.preference(key: key)?.key == key)
        } catch let error as VecdClientError where error.code == "invalid_argument" {
            // The store may refuse such a key; then the refusal must name it, proving it arrived intact.
            #expect(error.message.contains(key))
        }
        await server.stop()
    }
}

/// The Swift client's seed 001 methods against a real server.
@Suite("VecdClient seed 001")
struct ClientKnowledgeBaseTests {
    @Test("index documents, search them by scope with and without global, and record message feedback")
    func knowledgeBase() async throws {
        let server = try await TestServer.start()
        let client = VecdClient(baseURL: server.baseURL)
        let ids = try await client.indexDocuments([
            .init(title: "Portfolio overview", content: "The portfolio holds bonds and equities.", scope: "page:portfolio"),
            .init(title: "Support hours", content: "Support answers from 9 to 17 on weekdays.", scope: "global"),
        ])
        #expect(ids.count == 2)
        let scoped = try await client.searchKnowledgeBase(query: "bonds and equities", scope: "page:portfolio", k: 5)
        #expect(scoped.map(\.id) == [ids[0]])
        #expect(scoped.first?.title == "Portfolio overview")
        let withGlobal = try await client.searchKnowledgeBase(
            query: "when does support answer", scope: "page:portfolio", k: 5, includeGlobal: true)
        #expect(Set(withGlobal.map(\.id)) == Set(ids))
        let feedbackID = try await client.messageFeedback(messageID: "msg/42 ü", rating: .down, editedText: "Better")
        #expect(!feedbackID.isEmpty)
        await server.stop()
    }
}

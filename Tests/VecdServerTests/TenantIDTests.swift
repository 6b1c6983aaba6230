import Foundation
import Testing
import Vecd
import VecdServer

/// Ids a caller chooses (a document's own id, conversation and message ids) name a row within the caller's tenant:
/// another tenant's id neither conflicts nor is revealed, over real HTTP.
@Suite("Client-chosen ids are per tenant")
struct TenantIDTests {
    static let aWrite = TenantFixture.keys[.write]
    static let bWrite = TenantFixture.victimKeys[.write]

    static func ingest(_ server: TestServer, id: String, content: String, key: String?) async throws
        -> TestServer.Reply
    {
        try await server.request(
            "POST", "/v1/collections/shared-docs/documents",
            json: ["documents": [["id": id, "title": "plan", "content": content]], "wait": true], key: key)
    }

    @Test("tenant A stores a document under tenant B's id: no 409, both documents kept, each tenant sees its own")
    func documentIDs() async throws {
        let server = try await TestServer.start { $0.apiKeys = TenantFixture.apiKeys }
        let created = try await server.request(
            "POST", "/v1/collections", json: ["name": "shared-docs"], key: TenantFixture.victimKeys[.admin])
        #expect(created.status == 201)
        let victim = try await Self.ingest(server, id: "plan-1", content: "B's launch plan is secret", key: Self.bWrite)
        #expect(victim.status == 201, "\(victim.text)")

        // Tenant A: the id B uses and an id nobody uses answer alike.
        let taken = try await Self.ingest(server, id: "plan-1", content: "A's own plan about tea", key: Self.aWrite)
        let fresh = try await Self.ingest(server, id: "plan-2", content: "A's other plan about tea", key: Self.aWrite)
        #expect(taken.status == 201, "\(taken.text)")
        #expect(taken.status == fresh.status)
        #expect(try taken.object()["document_ids"] as? [String] == ["plan-1"])
        // Within one tenant an id is still unique.
        let again = try await Self.ingest(server, id: "plan-1", content: "A again", key: Self.aWrite)
        #expect(again.status == 409)

        let mine = try await server.request("GET", "/v1/documents/plan-1", key: Self.aWrite)
        #expect(try mine.object()["content"] as? String == "A's own plan about tea")
        let theirs = try await server.request("GET", "/v1/documents/plan-1", key: Self.bWrite)
        #expect(try theirs.object()["content"] as? String == "B's launch plan is secret")
        let chunks = try await server.request("GET", "/v1/documents/plan-1/chunks", key: Self.aWrite)
        #expect(!chunks.text.contains("secret"), "\(chunks.text)")

        // Search and delete touch only the caller's document of that id.
        let found = try await server.request(
            "POST", "/v1/collections/shared-docs/search", json: ["query": "plan", "k": 10, "mode": "hybrid"],
            key: Self.aWrite)
        #expect(found.status == 200)
        #expect(!found.text.contains("secret"), "\(found.text)")
        #expect(try await server.request("DELETE", "/v1/documents/plan-1", key: Self.aWrite).status == 204)
        #expect(try await server.request("GET", "/v1/documents/plan-1", key: Self.aWrite).status == 404)
        let kept = try await server.request("GET", "/v1/documents/plan-1/chunks", key: Self.bWrite)
        #expect(kept.status == 200)
        #expect(kept.text.contains("secret"))
        let lexical = try server.store.fullTextSearch(
            "secret", in: "shared-docs", filter: DocumentFilter(tenantID: TenantFixture.victim))
        #expect(lexical.map(\.chunk.documentID) == ["plan-1"])
        await server.stop()
    }

    @Test("tenant A opens a conversation and adds a message under tenant B's ids; each sees only its own")
    func conversationAndMessageIDs() async throws {
        let server = try await TestServer.start { $0.apiKeys = TenantFixture.apiKeys }
        let opened = try await server.request(
            "POST", "/v1/conversations", json: ["id": "chat-1", "title": "B's chat"], key: Self.bWrite)
        #expect(opened.status == 201, "\(opened.text)")
        let said = try await server.request(
            "POST", "/v1/conversations/chat-1/messages", json: ["id": "msg-1", "role": "user", "content": "B's secret"],
            key: Self.bWrite)
        #expect(said.status == 201, "\(said.text)")

        let taken = try await server.request(
            "POST", "/v1/conversations", json: ["id": "chat-1", "title": "A's chat"], key: Self.aWrite)
        let fresh = try await server.request(
            "POST", "/v1/conversations", json: ["id": "chat-2", "title": "A's other chat"], key: Self.aWrite)
        #expect(taken.status == 201, "\(taken.text)")
        #expect(taken.status == fresh.status)
        #expect(try taken.object()["title"] as? String == "A's chat")
        let message = try await server.request(
            "POST", "/v1/conversations/chat-1/messages", json: ["id": "msg-1", "role": "user", "content": "A's tea"],
            key: Self.aWrite)
        #expect(message.status == 201, "\(message.text)")
        let duplicate = try await server.request(
            "POST", "/v1/conversations/chat-2/messages", json: ["id": "msg-1", "role": "user", "content": "again"],
            key: Self.aWrite)
        #expect(duplicate.status == 409)

        let aMessages = try await server.request("GET", "/v1/conversations/chat-1/messages", key: Self.aWrite)
        let aList = try #require(try aMessages.object()["messages"] as? [[String: Any]])
        #expect(aList.compactMap { $0["content"] as? String } == ["A's tea"])
        let bMessages = try await server.request("GET", "/v1/conversations/chat-1/messages", key: Self.bWrite)
        let bList = try #require(try bMessages.object()["messages"] as? [[String: Any]])
        #expect(bList.compactMap { $0["content"] as? String } == ["B's secret"])

        // Down-rated feedback on "msg-1" takes its question from the rater's own conversation only.
        _ = try await server.request(
            "POST", "/api/v1/agent/messages/msg-1/feedback", json: ["rating": "down"], key: Self.aWrite)
        let topics = try await server.request("GET", "/v1/feedback/topics", key: Self.aWrite)
        #expect(topics.status == 200)
        #expect(!topics.text.contains("secret"), "\(topics.text)")
        #expect(topics.text.contains("A's tea"), "\(topics.text)")

        #expect(try await server.request("DELETE", "/v1/conversations/chat-1", key: Self.aWrite).status == 204)
        let survivor = try await server.request("GET", "/v1/conversations/chat-1", key: Self.bWrite)
        #expect(try survivor.object()["title"] as? String == "B's chat")
        await server.stop()
    }
}

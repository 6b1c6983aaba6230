import Foundation
import Testing
import Vecd
import VecdServer

/// Roles across the /v1 memory, preference, conversation, feedback, training and cache routes: a read key reads
/// but every write is a 403 that stores nothing; a request without a key is a 401.
@Suite("/v1 learning routes: roles")
struct V1LearningAccessTests {
    static let readKey = "reader-key-0123456789"
    static let writeKey = "writer-key-0123456789"
    static let keys = [
        APIKey(key: readKey, tenant: "acme", role: .read), APIKey(key: writeKey, tenant: "acme", role: .write),
    ]

    /// Every write route with a body it would accept from a writer.
    static func writes(conversationID: String, memoryID: String) -> [(String, String, [String: Any]?)] {
        [
            ("POST", "/v1/memories", ["content": "a new memory"]),
            ("PATCH", "/v1/memories/\(memoryID)", ["content": "changed"]),
            ("DELETE", "/v1/memories/\(memoryID)", nil),
            ("PUT", "/v1/users/alice/memory", ["memory": "text"]),
            ("POST", "/v1/users/alice/memory/append", ["text": "line"]),
            ("DELETE", "/v1/users/alice/memory", nil),
            ("PUT", "/v1/preferences/ui.theme", ["value": "dark"]),
            ("DELETE", "/v1/preferences/ui.theme", nil),
            ("POST", "/v1/conversations", ["title": "t"]),
            ("DELETE", "/v1/conversations/\(conversationID)", nil),
            ("POST", "/v1/conversations/\(conversationID)/messages", ["role": "user", "content": "hi"]),
            ("POST", "/v1/feedback", ["message_id": "m", "rating": "up"]),
            ("POST", "/v1/training/examples", ["input": "a", "output": "b"]),
            ("POST", "/v1/training/exported", ["ids": ["x"]]),
            ("GET", "/v1/training/export?mark_exported=true", nil),
            ("POST", "/v1/cache", ["query": "q", "response": "r"]),
            ("DELETE", "/v1/cache?all=true", nil),
        ]
    }

    @Test("a read key gets 403 on every write route and the store is unchanged")
    func readKeyCannotWrite() async throws {
        let server = try await TestServer.start { $0.apiKeys = Self.keys }
        let memory = try await server.request(
            "POST", "/v1/memories", json: ["content": "kept memory"], key: Self.writeKey)
        let memoryID = try #require(try memory.object()["id"] as? String)
        let conversation = try await server.request(
            "POST", "/v1/conversations", json: ["title": "kept"], key: Self.writeKey)
        let conversationID = try #require(try conversation.object()["id"] as? String)
        _ = try await server.request("PUT", "/v1/users/alice/memory", json: ["memory": "kept"], key: Self.writeKey)
        _ = try await server.request("PUT", "/v1/preferences/ui.theme", json: ["value": "light"], key: Self.writeKey)
        _ = try await server.request("POST", "/v1/cache", json: ["query": "kept", "response": "r"], key: Self.writeKey)
        _ = try await server.request(
            "POST", "/v1/training/examples", json: ["input": "kept", "output": "r"], key: Self.writeKey)

        for (method, path, body) in Self.writes(conversationID: conversationID, memoryID: memoryID) {
            let reply = try await server.request(method, path, json: body, key: Self.readKey)
            #expect(reply.status == 403, "\(method) \(path)")
            #expect(reply.errorCode == "forbidden", "\(method) \(path)")
        }

        let store = server.store
        #expect(try store.memories(MemoryViewer(tenantID: "acme")).map(\.content) == ["kept memory"])
        #expect(try store.userMemory(userID: "alice", tenant: "acme").memory == "kept")
        #expect(try store.preference(key: "ui.theme", tenant: "acme").value == .string("light"))
        #expect(try store.conversations(tenant: "acme").map(\.id) == [conversationID])
        #expect(try store.messages(in: conversationID, tenant: "acme").isEmpty)
        #expect(try store.feedbackStats(tenant: "acme").total == 0)
        #expect(try store.trainingExamples(.init(onlyUnexported: true), tenant: "acme").map(\.input) == ["kept"])
        #expect(try store.cacheStats(tenant: "acme").entries == 1)
        await server.stop()
    }

    @Test("a read key reads every area; no key is a 401")
    func readKeyReads() async throws {
        let server = try await TestServer.start { $0.apiKeys = Self.keys }
        let reads = [
            "/v1/memories", "/v1/preferences", "/v1/conversations", "/v1/feedback", "/v1/feedback/stats",
            "/v1/feedback/topics", "/v1/training/examples", "/v1/training/export", "/v1/cache/stats",
            "/v1/cache?query=anything",
        ]
        for path in reads {
            #expect(try await server.request("GET", path, key: Self.readKey).status == 200, "\(path)")
            let anonymous = try await server.request("GET", path)
            #expect(anonymous.status == 401, "\(path)")
        }
        let search = try await server.request(
            "POST", "/v1/memories/search", json: ["query": "anything"], key: Self.readKey)
        #expect(search.status == 200)
        let lookup = try await server.request("POST", "/v1/cache/lookup", json: ["query": "x"], key: Self.readKey)
        #expect(lookup.status == 200)
        await server.stop()
    }
}

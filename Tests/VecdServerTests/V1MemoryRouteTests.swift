import Foundation
import Testing
import Vecd
import VecdEmbed
import VecdServer

/// `/v1/memories` over real HTTP: add and merge, viewer rules, vector and full-text search, update, delete,
/// global memories for admins only, and refusals that store nothing.
@Suite("/v1 memories")
struct V1MemoryRouteTests {
    /// A unit vector of the store's dimension pointing along `axis`.
    static func axis(_ axis: Int, dimension: Int) -> [Float] {
        (0..<dimension).map { $0 == axis ? 1 : 0 }
    }

    @Test("add answers 201 with the memory; the same text again merges into it with 200 and its similarity")
    func addGetAndMerge() async throws {
        let server = try await TestServer.start()
        let added = try await server.request(
            "POST", "/v1/memories",
            json: ["content": "The office lights are on the second floor", "tags": ["lighting"], "source": "admin"])
        #expect(added.status == 201)
        let body = try added.object()
        let id = try #require(body["id"] as? String)
        #expect(UUID(uuidString: id) != nil)
        #expect(body["merged"] as? Bool == false)
        #expect(body["similarity"] is NSNull)
        let memory = try #require(body["memory"] as? [String: Any])
        #expect(memory["scope"] as? String == "tenant")
        #expect(memory["user_id"] is NSNull)
        #expect(memory["tags"] as? [String] == ["lighting"])
        #expect(memory["created_at"] as? String != nil)

        let got = try await server.request("GET", "/v1/memories/\(id)")
        #expect(got.status == 200)
        #expect(try got.object()["content"] as? String == "The office lights are on the second floor")

        let again = try await server.request(
            "POST", "/v1/memories", json: ["content": "The office lights are on the second floor", "tags": ["home"]])
        #expect(again.status == 200)
        let merged = try again.object()
        #expect(merged["merged"] as? Bool == true)
        #expect(merged["id"] as? String == id)
        #expect((merged["similarity"] as? Double ?? 0) > 0.9)
        #expect((merged["memory"] as? [String: Any])?["tags"] as? [String] == ["lighting", "home"])
        #expect(try server.store.memories().count == 1)
        await server.stop()
    }

    @Test("a user's memory is seen only when acting for that user; list filters by scope and tags")
    func viewerRules() async throws {
        let server = try await TestServer.start()
        let own = try await server.request(
            "POST", "/v1/memories", json: ["content": "Alice wakes up at six", "user_id": "alice", "tags": ["sleep"]])
        #expect(own.status == 201)
        let ownID = try #require(try own.object()["id"] as? String)
        #expect((try own.object()["memory"] as? [String: Any])?["scope"] as? String == "user")
        _ = try await server.request(
            "POST", "/v1/memories", json: ["content": "The house has a garden", "tags": ["home"]])

        let tenantView = try await server.request("GET", "/v1/memories")
        #expect(try Self.contents(tenantView) == ["The house has a garden"])
        let aliceView = try await server.request("GET", "/v1/memories?user_id=alice")
        #expect(try Set(Self.contents(aliceView)) == ["Alice wakes up at six", "The house has a garden"])
        let onlyUser = try await server.request("GET", "/v1/memories?user_id=alice&scope=user")
        #expect(try Self.contents(onlyUser) == ["Alice wakes up at six"])
        let tagged = try await server.request("GET", "/v1/memories?user_id=alice&tags=home")
        #expect(try Self.contents(tagged) == ["The house has a garden"])

        #expect(try await server.request("GET", "/v1/memories/\(ownID)?user_id=bob").status == 404)
        #expect(try await server.request("GET", "/v1/memories/\(ownID)?user_id=alice").status == 200)
        let badScope = try await server.request("GET", "/v1/memories?scope=planet")
        #expect(badScope.status == 400)
        #expect(badScope.errorCode == "invalid_argument")
        await server.stop()
    }

    @Test("vector search by text and by raw vector, and full-text search, rank the matching memory first")
    func search() async throws {
        let server = try await TestServer.start()
        let dimension = try #require(server.store.embedder?.dimension)
        _ = try await server.request(
            "POST", "/v1/memories", json: ["content": "Dinner is usually served at seven in the evening"])
        let byVector = try await server.request(
            "POST", "/v1/memories",
            json: ["content": "Raw vector memory about bicycles", "vector": Self.axis(3, dimension: dimension)])
        let vectorID = try #require(try byVector.object()["id"] as? String)

        let text = try await server.request("POST", "/v1/memories/search", json: ["query": "when is dinner", "k": 5])
        #expect(text.status == 200)
        let textHits = try #require(try text.object()["results"] as? [[String: Any]])
        #expect(
            (textHits.first?["memory"] as? [String: Any])?["content"] as? String
                == "Dinner is usually served at seven in the evening")

        let raw = try await server.request(
            "POST", "/v1/memories/search", json: ["vector": Self.axis(3, dimension: dimension), "k": 1])
        let rawHits = try #require(try raw.object()["results"] as? [[String: Any]])
        #expect(rawHits.count == 1)
        #expect((rawHits.first?["memory"] as? [String: Any])?["id"] as? String == vectorID)
        #expect(abs((rawHits.first?["score"] as? Double ?? 0) - 1) < 1e-4)

        let fullText = try await server.request("POST", "/v1/memories/search/text", json: ["query": "bicycles"])
        #expect(fullText.status == 200)
        let ftsHits = try #require(try fullText.object()["results"] as? [[String: Any]])
        #expect(ftsHits.count == 1)
        #expect((ftsHits.first?["memory"] as? [String: Any])?["id"] as? String == vectorID)
        await server.stop()
    }

    @Test("search refuses k outside 1...max_k, both or neither of query and vector, and a wrong dimension")
    func searchRefusals() async throws {
        let server = try await TestServer.start { $0.limits.maxK = 50 }
        let tooMany = try await server.request("POST", "/v1/memories/search", json: ["query": "x", "k": 51])
        #expect(tooMany.status == 400)
        #expect(tooMany.errorCode == "invalid_argument")
        #expect(tooMany.text.contains("50"))
        #expect(try await server.request("POST", "/v1/memories/search", json: ["query": "x", "k": 0]).status == 400)
        #expect(try await server.request("POST", "/v1/memories/search", json: ["k": 3]).status == 400)
        let both = try await server.request("POST", "/v1/memories/search", json: ["query": "x", "vector": [1.0]])
        #expect(both.status == 400)
        _ = try await server.request("POST", "/v1/memories", json: ["content": "something to search"])
        let wrong = try await server.request("POST", "/v1/memories/search", json: ["vector": [1.0, 2.0]])
        #expect(wrong.status == 400)
        #expect(wrong.errorCode == "dimension_mismatch")
        let listTooMany = try await server.request("GET", "/v1/memories?limit=51")
        #expect(listTooMany.status == 400)
        await server.stop()
    }

    @Test("refused adds store nothing: empty text, a wrong dimension, an unknown scope, a wrong type")
    func addRefusals() async throws {
        let server = try await TestServer.start()
        let empty = try await server.request("POST", "/v1/memories", json: ["content": "   "])
        #expect(empty.status == 400)
        #expect(empty.errorCode == "empty_text")
        let wrongDimension = try await server.request(
            "POST", "/v1/memories", json: ["content": "x", "vector": [1, 2]])
        #expect(wrongDimension.errorCode == "dimension_mismatch")
        let badScope = try await server.request("POST", "/v1/memories", json: ["content": "x", "scope": "planet"])
        #expect(badScope.status == 400)
        #expect(badScope.text.contains("user, tenant, global"))
        let wrongType = try await server.request("POST", "/v1/memories", json: ["content": "x", "tags": "a"])
        #expect(wrongType.status == 400)
        #expect(wrongType.errorCode == "invalid_json")
        let userWithoutUser = try await server.request("POST", "/v1/memories", json: ["content": "x", "scope": "user"])
        #expect(userWithoutUser.status == 400)
        #expect(try server.store.memories(MemoryViewer(userID: "anyone")).isEmpty)
        await server.stop()
    }

    @Test("update changes content and tags and re-embeds; delete answers 204 and the memory is gone")
    func updateAndDelete() async throws {
        let server = try await TestServer.start()
        let added = try await server.request("POST", "/v1/memories", json: ["content": "The cat is called Tom"])
        let id = try #require(try added.object()["id"] as? String)
        let nothing = try await server.request("PATCH", "/v1/memories/\(id)", json: [String: Any]())
        #expect(nothing.status == 400)
        let updated = try await server.request(
            "PATCH", "/v1/memories/\(id)", json: ["content": "The dog is called Rex", "tags": ["pets"]])
        #expect(updated.status == 200)
        #expect(try updated.object()["content"] as? String == "The dog is called Rex")
        #expect(try updated.object()["tags"] as? [String] == ["pets"])
        let found = try await server.request("POST", "/v1/memories/search/text", json: ["query": "Rex"])
        #expect((try found.object()["results"] as? [[String: Any]])?.count == 1)

        #expect(try await server.request("PATCH", "/v1/memories/no-such-id", json: ["content": "x"]).status == 404)
        let deleted = try await server.request("DELETE", "/v1/memories/\(id)")
        #expect(deleted.status == 204)
        #expect(try await server.request("GET", "/v1/memories/\(id)").status == 404)
        #expect(try await server.request("DELETE", "/v1/memories/\(id)").status == 404)
        #expect(try server.store.memories().isEmpty)
        await server.stop()
    }

    @Test("global memories: only admins add, change or delete them; every tenant sees them")
    func globalMemories() async throws {
        let keys = [
            APIKey(key: "admin-key-0123456789", tenant: "acme", role: .admin),
            APIKey(key: "write-key-0123456789", tenant: "acme", role: .write),
            APIKey(key: "other-key-0123456789", tenant: "globex", role: .read),
        ]
        let server = try await TestServer.start { $0.apiKeys = keys }
        let refused = try await server.request(
            "POST", "/v1/memories", json: ["content": "Be polite", "scope": "global"], key: "write-key-0123456789")
        #expect(refused.status == 403)
        #expect(refused.errorCode == "forbidden")
        #expect(try server.store.memories(MemoryViewer(tenantID: "acme")).isEmpty)

        let added = try await server.request(
            "POST", "/v1/memories", json: ["content": "Be polite", "scope": "global"], key: "admin-key-0123456789")
        #expect(added.status == 201)
        let id = try #require(try added.object()["id"] as? String)
        let seen = try await server.request("GET", "/v1/memories/\(id)", key: "other-key-0123456789")
        #expect(seen.status == 200)
        #expect(try seen.object()["scope"] as? String == "global")

        let change = try await server.request(
            "PATCH", "/v1/memories/\(id)", json: ["tags": ["x"]], key: "write-key-0123456789")
        #expect(change.status == 403)
        let delete = try await server.request("DELETE", "/v1/memories/\(id)", key: "write-key-0123456789")
        #expect(delete.status == 403)
        #expect(try server.store.memory(id: id, viewer: MemoryViewer(tenantID: "acme")).tags.isEmpty)
        let adminDelete = try await server.request("DELETE", "/v1/memories/\(id)", key: "admin-key-0123456789")
        #expect(adminDelete.status == 204)
        await server.stop()
    }

    @Test("another tenant's key cannot read, list, search, change or delete a tenant's memory")
    func tenantIsolation() async throws {
        let keys = [
            APIKey(key: "acme-key-0123456789", tenant: "acme", role: .write),
            APIKey(key: "globex-key-0123456789", tenant: "globex", role: .write),
        ]
        let server = try await TestServer.start { $0.apiKeys = keys }
        let added = try await server.request(
            "POST", "/v1/memories", json: ["content": "Acme's vault code is 1234"], key: "acme-key-0123456789")
        let id = try #require(try added.object()["id"] as? String)
        let other = "globex-key-0123456789"
        #expect(try await server.request("GET", "/v1/memories/\(id)", key: other).status == 404)
        #expect(try Self.contents(try await server.request("GET", "/v1/memories", key: other)).isEmpty)
        let search = try await server.request("POST", "/v1/memories/search", json: ["query": "vault code"], key: other)
        #expect((try search.object()["results"] as? [[String: Any]])?.isEmpty == true)
        let text = try await server.request("POST", "/v1/memories/search/text", json: ["query": "vault"], key: other)
        #expect((try text.object()["results"] as? [[String: Any]])?.isEmpty == true)
        #expect(
            try await server.request("PATCH", "/v1/memories/\(id)", json: ["tags": ["x"]], key: other).status == 404)
        #expect(try await server.request("DELETE", "/v1/memories/\(id)", key: other).status == 404)
        #expect(try server.store.memory(id: id, viewer: MemoryViewer(tenantID: "acme")).tags.isEmpty)
        await server.stop()
    }

    @Test("a user-bound key adds its own user's memories and cannot act for another user")
    func userBoundKey() async throws {
        let keys = [APIKey(key: "alice-key-0123456789", tenant: "acme", userID: "alice", role: .write)]
        let server = try await TestServer.start { $0.apiKeys = keys }
        let added = try await server.request(
            "POST", "/v1/memories", json: ["content": "I like tea"], key: "alice-key-0123456789")
        #expect(added.status == 201)
        #expect((try added.object()["memory"] as? [String: Any])?["user_id"] as? String == "alice")
        let forBob = try await server.request(
            "POST", "/v1/memories", json: ["content": "Bob likes coffee", "user_id": "bob"], key: "alice-key-0123456789"
        )
        #expect(forBob.status == 403)
        let listBob = try await server.request("GET", "/v1/memories?user_id=bob", key: "alice-key-0123456789")
        #expect(listBob.status == 403)
        #expect(try server.store.memories(MemoryViewer(tenantID: "acme", userID: "bob")).isEmpty)
        await server.stop()
    }

    /// The `content` of each memory of a list response, in order.
    static func contents(_ reply: TestServer.Reply) throws -> [String] {
        let memories = try #require(try reply.object()["memories"] as? [[String: Any]])
        return memories.compactMap { $0["content"] as? String }
    }
}

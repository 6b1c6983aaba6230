import Foundation
import Testing
import Vecd
import VecdServer

/// `/v1/admin/stats` and `/v1/admin/verify`.
@Suite("Admin routes")
struct AdminRouteTests {
    @Test("stats counts the caller's tenant's rows and lists the collections with their vectors")
    func stats() async throws {
        let server = try await TestServer.start()
        #expect(try await server.request("POST", "/memory/add", json: ["content": "the gate code changed"]).status == 201)
        #expect(
            try await server.request("POST", "/preferences/set", json: ["key": "units", "value": "metric"]).status == 200)
        _ = try await server.store.cachePut(query: "elsewhere", response: "another tenant's", tenant: "other")
        let reply = try await server.request("GET", "/v1/admin/stats")
        #expect(reply.status == 200)
        let body = try reply.object()
        #expect(body["tenant"] as? String == VecdStore.defaultTenant)
        let rows = try #require(body["rows"] as? [String: Int])
        #expect(rows["memories"] == 1)
        #expect(rows["preferences"] == 1)
        #expect(rows["response_cache"] == 0)  // the other tenant's entry is not counted
        let collections = try #require(body["collections"] as? [[String: Any]])
        let memories = try #require(collections.first { $0["name"] as? String == "_memories" })
        #expect(memories["vectors"] as? Int == 1)
        #expect(memories["dimension"] as? Int == 384)
        let store = try #require(body["store"] as? [String: Any])
        #expect((store["database_bytes"] as? Int ?? 0) > 0)
        #expect(body["uptime_seconds"] is Double)
        await server.stop()
    }

    @Test("verify reports a consistent store with its per-collection counts")
    func verify() async throws {
        let server = try await TestServer.start()
        #expect(try await server.request("POST", "/memory/add", json: ["content": "the gate code changed"]).status == 201)
        let reply = try await server.request("GET", "/v1/admin/verify")
        #expect(reply.status == 200)
        let body = try reply.object()
        #expect(body["consistent"] as? Bool == true)
        #expect(body["integrity"] as? String == "ok")
        #expect((body["stored_vectors"] as? [String: Int])?["_memories"] == 1)
        #expect((body["indexed_vectors"] as? [String: Int])?["_memories"] == 1)
        #expect(body["orphan_vectors"] as? Int == 0)
        await server.stop()
    }
}

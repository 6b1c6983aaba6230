import Foundation
import Testing
import Vecd
import VecdEmbed
import VecdServer

/// `/v1/cache` over real HTTP: put, exact and semantic lookup, TTLs, stats and clear.
@Suite("/v1 cache")
struct V1CacheRouteTests {
    @Test("put answers 201 with the entry; a lookup of the same query in other case and punctuation is exact")
    func putAndExactHit() async throws {
        let server = try await TestServer.start()
        let put = try await server.request(
            "POST", "/v1/cache",
            json: ["query": "What time is it?", "response": "noon", "ttl_seconds": 60, "metadata": ["model": "x"]])
        #expect(put.status == 201)
        let entry = try put.object()
        #expect(entry["response"] as? String == "noon")
        #expect(entry["hit_count"] as? Int == 0)
        #expect(entry["bytes"] as? Int == "What time is it?".utf8.count + 4)
        #expect(entry["expires_at"] is String)
        #expect(entry["model_id"] as? String == server.store.embedder?.modelID)

        let hit = try await server.request("GET", "/v1/cache?query=what%20time%20is%20it")
        #expect(hit.status == 200)
        let found = try hit.object()
        #expect(found["hit"] as? Bool == true)
        #expect(found["match"] as? String == "exact")
        #expect(found["similarity"] as? Double == 1)
        #expect((found["entry"] as? [String: Any])?["hit_count"] as? Int == 1)

        let miss = try await server.request("POST", "/v1/cache/lookup", json: ["query": "how tall is the tower"])
        #expect(miss.status == 200)
        let missed = try miss.object()
        #expect(missed["hit"] as? Bool == false)
        #expect(missed["match"] is NSNull)
        #expect(missed["entry"] is NSNull)

        let stats = try await server.request("GET", "/v1/cache/stats")
        let counters = try stats.object()
        #expect(counters["hits"] as? Int == 1)
        #expect(counters["misses"] as? Int == 1)
        #expect(counters["hit_rate"] as? Double == 0.5)
        #expect(counters["entries"] as? Int == 1)
        await server.stop()
    }

    @Test("a lookup with the cached query's vector is a semantic hit with its similarity; semantic=false misses")
    func semanticHitByVector() async throws {
        let server = try await TestServer.start()
        let dimension = try #require(server.store.embedder?.dimension)
        let vector: [Float] = (0..<dimension).map { $0 == 7 ? 1 : 0 }
        let put = try await server.request(
            "POST", "/v1/cache", json: ["query": "weather in Paris", "response": "sunny", "vector": vector])
        #expect(put.status == 201)
        let semantic = try await server.request(
            "POST", "/v1/cache/lookup", json: ["query": "tell me the weather in Paris", "vector": vector])
        let body = try semantic.object()
        #expect(body["hit"] as? Bool == true)
        #expect(body["match"] as? String == "semantic")
        #expect(abs((body["similarity"] as? Double ?? 0) - 1) < 1e-4)
        #expect((body["entry"] as? [String: Any])?["response"] as? String == "sunny")

        let exactOnly = try await server.request(
            "POST", "/v1/cache/lookup",
            json: ["query": "tell me the weather in Paris", "vector": vector, "semantic": false])
        #expect(try exactOnly.object()["hit"] as? Bool == false)
        await server.stop()
    }

    @Test("never_expires keeps the entry without expires_at; clear removes expired ones, all=true every one")
    func expiryAndClear() async throws {
        let server = try await TestServer.start()
        let kept = try await server.request(
            "POST", "/v1/cache", json: ["query": "capital of France", "response": "Paris", "never_expires": true])
        #expect(try kept.object()["expires_at"] is NSNull)
        let expiredOnly = try await server.request("DELETE", "/v1/cache")
        #expect(try expiredOnly.object()["removed"] as? Int == 0)
        let all = try await server.request("DELETE", "/v1/cache?all=true")
        #expect(try all.object()["removed"] as? Int == 1)
        #expect(try server.store.cacheStats().entries == 0)
        await server.stop()
    }

    @Test("refused puts store nothing: ttl ≤ 0, ttl with never_expires, empty query, wrong dimension, no response")
    func refusals() async throws {
        let server = try await TestServer.start()
        let bodies: [([String: Any], String)] = [
            (["query": "q", "response": "r", "ttl_seconds": 0], "invalid_argument"),
            (["query": "q", "response": "r", "ttl_seconds": 5, "never_expires": true], "invalid_argument"),
            (["query": " ", "response": "r"], "empty_text"),
            (["query": "q", "response": "r", "vector": [1, 2, 3]], "dimension_mismatch"),
            (["query": "q"], "invalid_json"),
        ]
        for (body, code) in bodies {
            let reply = try await server.request("POST", "/v1/cache", json: body)
            #expect(reply.status == 400, "\(body)")
            #expect(reply.errorCode == code, "\(body)")
        }
        #expect(try server.store.cacheStats().entries == 0)
        let noQuery = try await server.request("GET", "/v1/cache")
        #expect(noQuery.status == 400)
        #expect(noQuery.text.contains("query"))
        await server.stop()
    }

    @Test("another tenant's key neither hits nor clears a tenant's entries")
    func isolation() async throws {
        let keys = [
            APIKey(key: "acme-key-0123456789", tenant: "acme", role: .write),
            APIKey(key: "globex-key-0123456789", tenant: "globex", role: .write),
        ]
        let server = try await TestServer.start { $0.apiKeys = keys }
        _ = try await server.request(
            "POST", "/v1/cache", json: ["query": "door code", "response": "1234"], key: "acme-key-0123456789")
        let other = try await server.request("GET", "/v1/cache?query=door%20code", key: "globex-key-0123456789")
        #expect(try other.object()["hit"] as? Bool == false)
        let cleared = try await server.request("DELETE", "/v1/cache?all=true", key: "globex-key-0123456789")
        #expect(try cleared.object()["removed"] as? Int == 0)
        let stats = try await server.request("GET", "/v1/cache/stats", key: "globex-key-0123456789")
        #expect(try stats.object()["entries"] as? Int == 0)
        #expect(try server.store.cacheStats(tenant: "acme").entries == 1)
        await server.stop()
    }
}

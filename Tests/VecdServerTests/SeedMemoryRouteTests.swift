import Foundation
import Testing
import Vecd
import VecdServer

/// Seed 002's memory router over real HTTP, with its documented request bodies.
@Suite("Seed 002 routes")
struct SeedMemoryRouteTests {
    @Test("memory/add answers 201 with an id, and memory/search finds it with the seed's fields")
    func addAndSearch() async throws {
        let server = try await TestServer.start()
        let added = try await server.request(
            "POST", "/memory/add",
            json: [
                "content": "The user prefers lights at 50% brightness in the evening",
                "tags": ["preference", "lighting"], "source": "user_feedback",
            ])
        #expect(added.status == 201)
        let id = try #require(try added.object()["id"] as? String)
        #expect(UUID(uuidString: id) != nil)
        #expect(try added.object()["merged"] as? Bool == false)

        let found = try await server.request("GET", "/memory/search?query=lighting%20preferences&limit=5")
        #expect(found.status == 200)
        let results = try #require(try found.object()["results"] as? [[String: Any]])
        let first = try #require(results.first)
        #expect(first["id"] as? String == id)
        #expect(first["tags"] as? [String] == ["preference", "lighting"])
        #expect(first["source"] as? String == "user_feedback")
        #expect((first["score"] as? Double ?? 0) > 0)
        #expect(first["created_at"] is String)
        await server.stop()
    }

    @Test("preferences/set then preferences/get returns the JSON value; an unknown key is a JSON 404")
    func preferences() async throws {
        let server = try await TestServer.start()
        let set = try await server.request(
            "POST", "/preferences/set",
            json: ["key": "entity_alias.my_office", "value": ["entity_id": "light.office_main"], "category": "aliases"])
        #expect(set.status == 200)
        let got = try await server.request("GET", "/preferences/get?key=entity_alias.my_office")
        #expect(got.status == 200)
        let body = try got.object()
        #expect((body["value"] as? [String: Any])?["entity_id"] as? String == "light.office_main")
        #expect(body["category"] as? String == "aliases")
        let missing = try await server.request("GET", "/preferences/get?key=nothing.here")
        #expect(missing.status == 404)
        #expect(missing.errorCode == "not_found")
        await server.stop()
    }

    @Test("training/feedback takes a 1–5 score and refuses 9")
    func feedback() async throws {
        let server = try await TestServer.start()
        let ok = try await server.request(
            "POST", "/training/feedback",
            json: ["interaction_id": "conv_123", "score": 5, "comment": "Correctly turned on all lights"])
        #expect(ok.status == 201)
        #expect(try ok.object()["id"] is String)
        let bad = try await server.request("POST", "/training/feedback", json: ["interaction_id": "c", "score": 9])
        #expect(bad.status == 400)
        #expect(bad.errorCode == "invalid_argument")
        await server.stop()
    }

    @Test("training/export streams JSONL; mark_exported hides the rows from only_unexported")
    func trainingExport() async throws {
        let server = try await TestServer.start()
        for index in 0..<3 {
            _ = try server.store.addTrainingExample(input: "turn on light \(index)", output: "ok \(index)")
        }
        let all = try await server.request("GET", "/training/export?mark_exported=true")
        #expect(all.status == 200)
        #expect(all.headers["content-type"] == "application/x-ndjson")
        let lines = all.text.split(separator: "\n")
        #expect(lines.count == 3)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["input"] is String)
        }
        let rest = try await server.request("GET", "/training/export?only_unexported=true")
        #expect(rest.text.isEmpty)
        await server.stop()
    }

    @Test("cache/stats and cache/clear answer the documented shapes")
    func cache() async throws {
        let server = try await TestServer.start()
        _ = try await server.store.cachePut(query: "what time is it", response: "noon")
        let stats = try await server.request("GET", "/cache/stats")
        #expect(stats.status == 200)
        let body = try stats.object()
        #expect(body["entries"] as? Int == 1)
        for key in ["hits", "misses", "hit_rate", "bytes"] { #expect(body[key] != nil) }
        let expiredOnly = try await server.request("DELETE", "/cache/clear")
        #expect(try expiredOnly.object()["removed"] as? Int == 0)
        let all = try await server.request("DELETE", "/cache/clear?all=true")
        #expect(try all.object()["removed"] as? Int == 1)
        await server.stop()
    }

    @Test("malformed JSON, a wrong type, an unknown route and an oversized body get JSON errors")
    func errors() async throws {
        let server = try await TestServer.start { $0.limits.maxBodyBytes = 1_024 }
        let malformed = try await server.request("POST", "/memory/add", rawBody: Data("{bad".utf8))
        #expect(malformed.status == 400)
        #expect(malformed.errorCode == "invalid_json")
        let wrongType = try await server.request("POST", "/memory/add", json: ["content": 3])
        #expect(wrongType.status == 400)
        #expect(wrongType.text.contains("content"))
        let unknown = try await server.request("GET", "/no/such/route")
        #expect(unknown.status == 404)
        #expect(unknown.errorCode == "route_not_found")
        let huge = try await server.request(
            "POST", "/memory/add", json: ["content": String(repeating: "a", count: 4_096)])
        #expect(huge.status == 413)
        #expect(huge.errorCode == "body_too_large")
        let wrongDimension = try await server.request("POST", "/memory/add", json: ["content": "x", "vector": [1, 2]])
        #expect(wrongDimension.status == 400)
        #expect(wrongDimension.errorCode == "dimension_mismatch")
        #expect(try server.store.memories().isEmpty)
        await server.stop()
    }
}

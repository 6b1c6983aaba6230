import Foundation
import Testing
import Vecd
import VecdEmbed
import VecdServer

/// Seed 001's knowledge-base and feedback routes over real HTTP, with the columns of its tables as fields.
@Suite("Seed 001 routes")
struct SeedAgentRouteTests {
    static var documents: [[String: Any]] {
        [
            [
                "title": "Volatility", "content": "Volatility measures how much portfolio returns swing over time",
                "scope": "page:portfolio-overview", "metadata": ["source": "TOOL_REFERENCE.md"],
            ],
            [
                "title": "Beta", "content": "Beta compares a position's moves with the market index",
                "scope": "page:risk", "metadata": [:],
            ],
            [
                "title": "Stress tests", "content": "Stress tests replay market shocks against portfolio positions",
                "scope": "global", "metadata": ["kind": "glossary"],
            ],
        ]
    }

    static func results(_ reply: TestServer.Reply) throws -> [[String: Any]] {
        try #require(try reply.object()["results"] as? [[String: Any]])
    }

    @Test("kb/index answers 201 with one new id per document, and kb/search returns the seed's columns")
    func indexAndSearch() async throws {
        let server = try await TestServer.start()
        let indexed = try await server.request("POST", "/api/v1/agent/kb/index", json: ["documents": Self.documents])
        #expect(indexed.status == 201)
        let ids = try #require(try indexed.object()["ids"] as? [String])
        #expect(ids.count == 3)
        #expect(ids.allSatisfy { UUID(uuidString: $0) != nil })
        #expect(Set(ids).count == 3)

        let found = try await server.request("GET", "/api/v1/agent/kb/search?query=portfolio%20volatility&k=3")
        #expect(found.status == 200)
        let results = try Self.results(found)
        #expect(results.count == 3)
        let first = try #require(results.first)
        #expect(first["id"] as? String == ids[0])
        #expect(first["title"] as? String == "Volatility")
        #expect(first["content"] as? String == "Volatility measures how much portfolio returns swing over time")
        #expect(first["scope"] as? String == "page:portfolio-overview")
        #expect((first["metadata"] as? [String: Any])?["source"] as? String == "TOOL_REFERENCE.md")
        #expect(first["score"] is Double)
        let scores = results.compactMap { $0["score"] as? Double }
        #expect(scores == scores.sorted(by: >))
        await server.stop()
    }

    @Test("scope= matches exactly; include_global=true adds the global documents")
    func scopes() async throws {
        let server = try await TestServer.start()
        _ = try await server.request("POST", "/api/v1/agent/kb/index", json: ["documents": Self.documents])
        let exact = try await server.request("GET", "/api/v1/agent/kb/search?query=market&scope=page:risk&k=10")
        #expect(try Self.results(exact).map { $0["title"] as? String } == ["Beta"])
        let prefix = try await server.request("GET", "/api/v1/agent/kb/search?query=market&scope=page&k=10")
        #expect(try Self.results(prefix).isEmpty)
        let withGlobal = try await server.request(
            "GET", "/api/v1/agent/kb/search?query=market&scope=page:risk&include_global=true&k=10")
        let titles = Set(try Self.results(withGlobal).compactMap { $0["title"] as? String })
        #expect(titles == ["Beta", "Stress tests"])
        await server.stop()
    }

    @Test("a raw vector indexes and searches instead of text; a wrong dimension is refused and stores nothing")
    func rawVectors() async throws {
        let server = try await TestServer.start(embedder: try HashingEmbedder(dimension: 64))
        func basis(_ index: Int) -> [Double] { (0..<64).map { $0 == index ? 1 : 0 } }
        let documents: [[String: Any]] = (0..<3).map { index in
            ["title": "doc \(index)", "content": "text \(index)", "scope": "global", "vector": basis(index)]
        }
        let indexed = try await server.request("POST", "/api/v1/agent/kb/index", json: ["documents": documents])
        #expect(indexed.status == 201)
        let ids = try #require(try indexed.object()["ids"] as? [String])
        let query = basis(2).map { String(Int($0)) }.joined(separator: ",")
        let found = try await server.request("GET", "/api/v1/agent/kb/search?vector=\(query)&k=1")
        #expect(found.status == 200)
        let hit = try #require(try Self.results(found).first)
        #expect(hit["id"] as? String == ids[2])
        #expect(abs((hit["score"] as? Double ?? 0) - 1) < 1e-5)

        let wrong = try await server.request(
            "POST", "/api/v1/agent/kb/index",
            json: ["documents": [["title": "short", "content": "x", "vector": [1, 0, 0]]]])
        #expect(wrong.status == 400)
        #expect(wrong.errorCode == "dimension_mismatch")
        #expect(try server.store.documents(in: "agent_kb").count == 3)
        let badQuery = try await server.request("GET", "/api/v1/agent/kb/search?vector=1,zero,3")
        #expect(badQuery.status == 400)
        #expect(badQuery.errorCode == "invalid_argument")
        await server.stop()
    }

    @Test("bad input gets a JSON 400 or 413 naming the problem, and a refused batch stores nothing")
    func badInput() async throws {
        let server = try await TestServer.start { $0.limits.maxBatch = 2 }
        let missingTitle = try await server.request(
            "POST", "/api/v1/agent/kb/index", json: ["documents": [["content": "no title"]]])
        #expect(missingTitle.status == 400)
        #expect(missingTitle.errorCode == "invalid_json")
        #expect(missingTitle.text.contains("documents[0].title"))
        let wrongType = try await server.request(
            "POST", "/api/v1/agent/kb/index", json: ["documents": [["title": "t", "content": 5]]])
        #expect(wrongType.status == 400)
        #expect(wrongType.text.contains("content"))
        let empty = try await server.request("POST", "/api/v1/agent/kb/index", json: ["documents": []])
        #expect(empty.status == 400)
        #expect(empty.errorCode == "invalid_argument")

        let overLimit = try await server.request(
            "POST", "/api/v1/agent/kb/index", json: ["documents": Self.documents])
        #expect(overLimit.status == 413)
        #expect(overLimit.errorCode == "too_large")
        #expect(overLimit.text.contains("the limit is 2"))
        let blankSecond = try await server.request(
            "POST", "/api/v1/agent/kb/index",
            json: ["documents": [Self.documents[0], ["title": "blank", "content": "   "]]])
        #expect(blankSecond.status == 400)
        #expect(blankSecond.errorCode == "empty_text")
        #expect(blankSecond.text.contains("document 1"))
        let nothing = try await server.request("GET", "/api/v1/agent/kb/search?query=volatility")
        #expect(nothing.status == 200)
        #expect(try Self.results(nothing).isEmpty)

        let noQuery = try await server.request("GET", "/api/v1/agent/kb/search?scope=global")
        #expect(noQuery.status == 400)
        #expect(noQuery.errorCode == "invalid_argument")
        let bigK = try await server.request("GET", "/api/v1/agent/kb/search?query=x&k=1001")
        #expect(bigK.status == 400)
        #expect(bigK.errorCode == "invalid_argument")
        #expect(bigK.text.contains("1...1000"))
        let zeroK = try await server.request("GET", "/api/v1/agent/kb/search?query=x&k=0")
        #expect(zeroK.status == 400)
        await server.stop()
    }

    @Test("feedback takes up or down with an edited text for the caller's own message id")
    func feedback() async throws {
        let server = try await TestServer.start()
        let up = try await server.request(
            "POST", "/api/v1/agent/messages/msg%2042/feedback",
            json: ["rating": "down", "edited_text": "Beta is measured against the S&P 500"])
        #expect(up.status == 201)
        let body = try up.object()
        #expect(UUID(uuidString: body["id"] as? String ?? "") != nil)
        #expect(body["message_id"] as? String == "msg 42")
        #expect(body["rating"] as? String == "down")
        #expect(body["edited_text"] as? String == "Beta is measured against the S&P 500")
        #expect(body["created_at"] is String)
        let plain = try await server.request("POST", "/api/v1/agent/messages/7f3c/feedback", json: ["rating": "up"])
        #expect(plain.status == 201)
        #expect(try plain.object()["edited_text"] is NSNull)
        let stored = try server.store.feedback(messageID: "msg 42")
        #expect(stored.map(\.rating) == [.down])

        let sideways = try await server.request(
            "POST", "/api/v1/agent/messages/m1/feedback", json: ["rating": "sideways"])
        #expect(sideways.status == 400)
        #expect(sideways.text.contains("rating"))
        let missing = try await server.request(
            "POST", "/api/v1/agent/messages/m1/feedback", json: ["edited_text": "x"])
        #expect(missing.status == 400)
        #expect(missing.text.contains("rating is required"))
        #expect(try server.store.feedback(messageID: "m1").isEmpty)
        await server.stop()
    }

    @Test("a tenant's key never finds another tenant's documents, and a read key cannot index")
    func isolation() async throws {
        let keyA = "tenant-a-key-0123456789"
        let keyB = "tenant-b-key-0123456789"
        let reader = "tenant-a-read-0123456789"
        let server = try await TestServer.start { configuration in
            configuration.apiKeys = [
                APIKey(key: keyA, tenant: "a", role: .write), APIKey(key: keyB, tenant: "b", role: .write),
                APIKey(key: reader, tenant: "a", role: .read),
            ]
        }
        let indexed = try await server.request(
            "POST", "/api/v1/agent/kb/index", json: ["documents": Self.documents], key: keyA)
        #expect(indexed.status == 201)
        let fromB = try await server.request("GET", "/api/v1/agent/kb/search?query=portfolio", key: keyB)
        #expect(try Self.results(fromB).isEmpty)
        let fromReader = try await server.request("GET", "/api/v1/agent/kb/search?query=portfolio", key: reader)
        #expect(try Self.results(fromReader).count == 3)
        let refused = try await server.request(
            "POST", "/api/v1/agent/kb/index", json: ["documents": Self.documents], key: reader)
        #expect(refused.status == 403)
        #expect(refused.errorCode == "forbidden")
        let anonymous = try await server.request("GET", "/api/v1/agent/kb/search?query=portfolio")
        #expect(anonymous.status == 401)
        await server.stop()
    }
}

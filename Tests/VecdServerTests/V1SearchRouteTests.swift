import Foundation
import Testing
import Vecd
import VecdEmbed
import VecdServer

/// `POST /v1/collections/{name}/search`: vector, full-text and hybrid search with filters, over real HTTP.
@Suite("/v1 search")
struct V1SearchRouteTests {
    /// A server with collection `docs` holding three documents of different scopes, types, users and metadata.
    static func seededServer(configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestServer {
        let server = try await TestServer.start(configure: configure)
        _ = try server.store.createCollection(
            CollectionInfo(
                name: "docs", dimension: HashingEmbedder.defaultDimension, modelID: server.store.embedder?.modelID ?? ""))
        _ = try await server.store.ingest(
            [
                DocumentInput(
                    id: "volatility", title: "Volatility", content: "Volatility measures how portfolio returns swing",
                    scope: "page:overview", metadata: ["team": .string("risk"), "level": .number(2)]),
                DocumentInput(
                    id: "beta", title: "Beta", content: "Beta compares a position with the market index",
                    documentType: .markdown, scope: "page:risk",
                    metadata: ["team": .string("risk"), "level": .number(1)]),
                DocumentInput(
                    id: "glossary", title: "Glossary", content: "Stress tests replay market shocks on a portfolio",
                    scope: "global", metadata: ["team": .string("docs")], userID: "carol"),
            ], into: "docs", chunking: .wholeDocument)
        return server
    }

    static func ids(_ reply: TestServer.Reply) throws -> [String] {
        let results = try #require(try reply.object()["results"] as? [[String: Any]], "\(reply.text)")
        return results.compactMap { $0["document_id"] as? String }
    }

    @Test("vector search by text returns hits with chunk, scores, document summary and the index's report")
    func vectorSearch() async throws {
        let server = try await Self.seededServer()
        let reply = try await server.request(
            "POST", "/v1/collections/docs/search", json: ["query": "portfolio volatility swing", "k": 2])
        #expect(reply.status == 200)
        let body = try reply.object()
        #expect(body["mode"] as? String == "vector")
        let results = try #require(body["results"] as? [[String: Any]])
        #expect(results.count == 2)
        let first = try #require(results.first)
        #expect(first["document_id"] as? String == "volatility")
        #expect(first["chunk_index"] as? Int == 0)
        #expect(first["content"] as? String == "Volatility measures how portfolio returns swing")
        #expect(first["vector_score"] as? Double == first["score"] as? Double)
        #expect(first["text_score"] is NSNull)
        let document = try #require(first["document"] as? [String: Any])
        #expect(document["title"] as? String == "Volatility")
        #expect(document["scope"] as? String == "page:overview")
        let report = try #require(body["report"] as? [String: Any])
        #expect(report["plan"] is String)
        #expect(report["is_complete"] as? Bool == true)
        await server.stop()
    }

    @Test("full-text and hybrid search rank by words; full-text hits carry text_score and no report")
    func textAndHybrid() async throws {
        let server = try await Self.seededServer()
        let text = try await server.request(
            "POST", "/v1/collections/docs/search", json: ["mode": "text", "query": "market shocks"])
        #expect(text.status == 200)
        #expect(try Self.ids(text).first == "glossary")
        #expect(try Set(Self.ids(text)) == ["glossary", "beta"])
        let first = try #require((try text.object()["results"] as? [[String: Any]])?.first)
        #expect(first["text_score"] is Double)
        #expect(try text.object()["report"] is NSNull)
        let hybrid = try await server.request(
            "POST", "/v1/collections/docs/search",
            json: [
                "mode": "hybrid", "query": "market shocks", "k": 3, "weights": ["vector": 1, "text": 2, "rrf_k": 30],
            ])
        #expect(hybrid.status == 200)
        #expect(try Self.ids(hybrid).first == "glossary")
        #expect(try Self.ids(hybrid).count == 3)
        await server.stop()
    }

    @Test("filters: scopes with include_global, metadata, document types, ids, user and dates")
    func filters() async throws {
        let server = try await Self.seededServer()
        func search(_ filter: [String: Any]) async throws -> Set<String> {
            let reply = try await server.request(
                "POST", "/v1/collections/docs/search", json: ["query": "portfolio market", "k": 10, "filter": filter])
            #expect(reply.status == 200, "\(reply.text)")
            return Set(try Self.ids(reply))
        }
        #expect(try await search(["scopes": ["page:risk"]]) == ["beta"])
        #expect(try await search(["scopes": ["page:risk"], "include_global": true]) == ["beta", "glossary"])
        #expect(try await search(["metadata": ["team": "risk"]]) == ["volatility", "beta"])
        #expect(try await search(["metadata": ["team": "risk", "level": 2]]) == ["volatility"])
        #expect(try await search(["document_types": ["markdown"]]) == ["beta"])
        #expect(try await search(["document_ids": ["glossary", "volatility"]]) == ["glossary", "volatility"])
        #expect(try await search(["user_id": "dave"]) == ["volatility", "beta"])
        #expect(try await search(["user_id": "carol"]) == ["volatility", "beta", "glossary"])
        #expect(try await search(["created_after": "2999-01-01"]).isEmpty)
        #expect(try await search(["created_before": "2999-01-01T00:00:00Z"]).count == 3)
        await server.stop()
    }

    @Test("a raw vector searches instead of text; a wrong dimension is a 400 dimension_mismatch")
    func rawVector() async throws {
        let server = try await TestServer.start()
        _ = try await server.request("POST", "/v1/collections", json: ["name": "raw", "dimension": 3])
        let documents: [[String: Any]] = [
            ["id": "x", "content": "x axis", "vector": [1, 0, 0]],
            ["id": "y", "content": "y axis", "vector": [0, 1, 0]],
            ["id": "z", "content": "z axis", "vector": [0, 0, 1]],
        ]
        _ = try await server.request(
            "POST", "/v1/collections/raw/documents", json: ["documents": documents, "wait": true])
        let found = try await server.request(
            "POST", "/v1/collections/raw/search", json: ["vector": [0.1, 0.9, 0.1], "k": 2])
        #expect(try Self.ids(found) == ["y", "x"] || Self.ids(found) == ["y", "z"])
        let hybrid = try await server.request(
            "POST", "/v1/collections/raw/search", json: ["mode": "hybrid", "query": "z axis", "vector": [0, 0, 1]])
        #expect(try Self.ids(hybrid).first == "z")
        let wrong = try await server.request("POST", "/v1/collections/raw/search", json: ["vector": [1, 0]])
        #expect(wrong.status == 400)
        #expect(wrong.errorCode == "dimension_mismatch")
        await server.stop()
    }

    @Test("text for a collection another model filled is a 409 model_mismatch naming both models; a vector works")
    func otherModel() async throws {
        let server = try await TestServer.start()
        let dimension = HashingEmbedder.defaultDimension
        _ = try server.store.createCollection(
            CollectionInfo(name: "openai-kb", dimension: dimension, modelID: "openai:text-embedding-3-small"))
        let refused = try await server.request(
            "POST", "/v1/collections/openai-kb/search", json: ["query": "kitchen lights"])
        #expect(refused.status == 409)
        #expect(refused.errorCode == "model_mismatch")
        #expect(refused.text.contains("openai:text-embedding-3-small"))
        let vector = [Double](repeating: 1, count: dimension)
        let searched = try await server.request("POST", "/v1/collections/openai-kb/search", json: ["vector": vector])
        #expect(searched.status == 200)
        await server.stop()
    }

    @Test("bad search requests get a JSON 4xx naming the problem")
    func badRequests() async throws {
        let server = try await Self.seededServer()
        let cases: [(body: [String: Any], status: Int, code: String, says: String)] = [
            (["query": "x", "k": 0], 400, "invalid_argument", "1...1000"),
            (["query": "x", "k": 1_001], 400, "invalid_argument", "1...1000"),
            (["query": "x", "k": "ten"], 400, "invalid_json", "k"),
            ([:], 400, "invalid_argument", "query"),
            (["query": "x", "vector": [0.5]], 400, "invalid_argument", "not both"),
            (["mode": "fuzzy", "query": "x"], 400, "invalid_json", "mode"),
            (["mode": "text"], 400, "invalid_argument", "query"),
            (["mode": "text", "query": "x", "min_score": 0.5], 400, "invalid_argument", "min_score"),
            (["query": "x", "weights": ["text": 1]], 400, "invalid_argument", "weights"),
            (["mode": "hybrid", "query": "x", "weights": ["vector": -1]], 400, "invalid_argument", "weights"),
            (["query": "x", "filter": ["metadata": ["a;drop": "x"]]], 400, "invalid_filter", "metadata key"),
            (["query": "x", "filter": ["created_after": "yesterday"]], 400, "invalid_argument", "created_after"),
            (["query": "x", "filter": ["include_global": true]], 400, "invalid_argument", "scopes"),
            (["query": "x", "filter": ["document_types": ["spreadsheet"]]], 400, "invalid_json", "document_types"),
            (["query": "   "], 400, "empty_text", "empty"),
        ]
        for item in cases {
            let reply = try await server.request("POST", "/v1/collections/docs/search", json: item.body)
            #expect(reply.status == item.status, "\(item.body): \(reply.text)")
            #expect(reply.errorCode == item.code, "\(item.body): \(reply.text)")
            #expect(reply.text.contains(item.says), "\(item.body): \(reply.text)")
        }
        let missing = try await server.request("POST", "/v1/collections/nope/search", json: ["query": "x"])
        #expect(missing.status == 404)
        #expect(missing.errorCode == "not_found")
        let minScore = try await server.request(
            "POST", "/v1/collections/docs/search", json: ["query": "portfolio", "min_score": 0.999])
        #expect(try Self.ids(minScore).isEmpty)
        await server.stop()
    }

    @Test("another tenant's key finds nothing in the same collection; a user-bound key cannot search as another")
    func isolation() async throws {
        let tenantKey = "tenant-key-0123456789"
        let otherKey = "other-key-01234567890"
        let daveKey = "dave-key-012345678901"
        let server = try await Self.seededServer { configuration in
            configuration.apiKeys = [
                APIKey(key: tenantKey, tenant: VecdStore.defaultTenant, role: .read),
                APIKey(key: otherKey, tenant: "other", role: .read),
                APIKey(key: daveKey, tenant: VecdStore.defaultTenant, userID: "dave", role: .read),
            ]
        }
        let own = try await server.request(
            "POST", "/v1/collections/docs/search", json: ["query": "portfolio", "k": 10], key: tenantKey)
        #expect(try Self.ids(own).count == 3)
        for mode in ["vector", "text", "hybrid"] {
            let other = try await server.request(
                "POST", "/v1/collections/docs/search", json: ["mode": mode, "query": "portfolio", "k": 10],
                key: otherKey)
            #expect(try Self.ids(other).isEmpty, "\(mode)")
        }
        let dave = try await server.request(
            "POST", "/v1/collections/docs/search", json: ["query": "portfolio", "k": 10], key: daveKey)
        #expect(try Set(Self.ids(dave)) == ["volatility", "beta"])
        let asCarol = try await server.request(
            "POST", "/v1/collections/docs/search", json: ["query": "portfolio", "filter": ["user_id": "carol"]],
            key: daveKey)
        #expect(asCarol.status == 403)
        await server.stop()
    }

    @Test("ef_search is taken per request: a larger one walks more of the graph; out of range or outside mode vector is refused")
    func efSearchPerRequest() async throws {
        let server = try await TestServer.start()
        _ = try server.store.createCollection(CollectionInfo(name: "raw", dimension: 8))
        var generator = SystemRandomNumberGenerator()
        let documents = (0..<400).map { row in
            DocumentInput(
                title: "row \(row)", content: "row \(row)",
                vectors: [(0..<8).map { _ in Float.random(in: -1...1, using: &generator) }])
        }
        _ = try await server.store.ingest(documents, into: "raw")
        let query: [Double] = (0..<8).map { Double($0) / 8 - 0.4 }
        func distances(_ efSearch: Int) async throws -> Int {
            let reply = try await server.request(
                "POST", "/v1/collections/raw/search", json: ["vector": query, "k": 5, "ef_search": efSearch])
            #expect(reply.status == 200, "\(reply.text)")
            let report = try #require(try reply.object()["report"] as? [String: Any], "\(reply.text)")
            return try #require(report["distance_count"] as? Int)
        }
        let narrow = try await distances(5)
        let wide = try await distances(400)
        #expect(wide > narrow, "ef_search 400 computed \(wide) distances, ef_search 5 \(narrow)")
        let tooLarge = try await server.request(
            "POST", "/v1/collections/raw/search", json: ["vector": query, "ef_search": 1001])
        #expect(tooLarge.status == 400)
        #expect(tooLarge.text.contains("ef_search must be in 1...1000, got 1001"), "\(tooLarge.text)")
        let textMode = try await server.request(
            "POST", "/v1/collections/raw/search", json: ["mode": "text", "query": "row", "ef_search": 10])
        #expect(textMode.status == 400)
        #expect(textMode.text.contains("ef_search applies to mode vector only"), "\(textMode.text)")
        await server.stop()
    }
}

import Foundation
import Testing
import Vecd
import VecdEmbed
import VecdServer

/// `/v1/knowledge`: seed 003's knowledge items over real HTTP.
@Suite("/v1 knowledge")
struct V1KnowledgeRouteTests {
    static var item: [String: Any] {
        [
            "type": "procedural", "category": "deployment", "subcategory": "railway",
            "title": "Deploy the backend", "content": "Run migrations before the backend deploy on Railway",
            "context_data": ["project": "sigmasight"], "importance": 80,
            "retrieval_triggers": ["deploy", "Migrations"], "created_by": "agent",
        ]
    }

    static func add(_ body: [String: Any], on server: TestServer, key: String? = nil) async throws -> String {
        let reply = try await server.request("POST", "/v1/knowledge", json: body, key: key)
        #expect(reply.status == 201, "\(reply.text)")
        return try #require(try reply.object()["id"] as? String)
    }

    @Test("add answers 201 with the stored item; get returns it; delete makes it a 404")
    func addGetDelete() async throws {
        let server = try await TestServer.start()
        let added = try await server.request("POST", "/v1/knowledge", json: Self.item)
        #expect(added.status == 201)
        let body = try added.object()
        let id = try #require(body["id"] as? String)
        #expect(body["type"] as? String == "procedural")
        #expect(body["retrieval_triggers"] as? [String] == ["deploy", "migrations"])
        #expect(body["validation_status"] as? String == "pending")
        #expect(body["importance"] as? Int == 80)
        #expect(body["access_count"] as? Int == 0)
        #expect(body["last_accessed_at"] is NSNull)
        #expect((body["context_data"] as? [String: Any])?["project"] as? String == "sigmasight")
        let got = try await server.request("GET", "/v1/knowledge/\(id)")
        #expect(try got.object()["title"] as? String == "Deploy the backend")
        #expect(try got.object()["similarity"] == nil)
        #expect(try await server.request("DELETE", "/v1/knowledge/\(id)").status == 204)
        let gone = try await server.request("GET", "/v1/knowledge/\(id)")
        #expect(gone.status == 404)
        #expect(gone.errorCode == "not_found")
        #expect(try await server.request("DELETE", "/v1/knowledge/\(id)").status == 404)
        await server.stop()
    }

    @Test("similar finds by text or raw vector with a threshold; contextual finds by trigger or project")
    func similarAndContextual() async throws {
        let server = try await TestServer.start(embedder: try HashingEmbedder(dimension: 64))
        let deploy = try await Self.add(Self.item, on: server)
        var axis = Self.item
        axis["title"] = "Axis"
        axis["content"] = "A raw vector item"
        axis["retrieval_triggers"] = ["axis"]
        axis["context_data"] = [:]
        axis["vector"] = (0..<64).map { $0 == 5 ? 1.0 : 0.0 }
        let vectorItem = try await Self.add(axis, on: server)

        let byText = try await server.request(
            "POST", "/v1/knowledge/similar", json: ["query": "run migrations before deploy", "threshold": 0.1])
        let textResults = try #require(try byText.object()["results"] as? [[String: Any]])
        #expect(textResults.first?["id"] as? String == deploy)
        #expect(textResults.first?["similarity"] is Double)
        let byVector = try await server.request(
            "POST", "/v1/knowledge/similar",
            json: ["vector": (0..<64).map { $0 == 5 ? 1.0 : 0.0 }, "threshold": 0.99, "limit": 5])
        let vectorResults = try #require(try byVector.object()["results"] as? [[String: Any]])
        #expect(vectorResults.map { $0["id"] as? String } == [vectorItem])
        let ofType = try await server.request(
            "POST", "/v1/knowledge/similar", json: ["query": "deploy", "type": "factual", "threshold": -1])
        #expect((try ofType.object()["results"] as? [Any])?.isEmpty == true)

        let triggered = try await server.request(
            "POST", "/v1/knowledge/contextual", json: ["situation": "We are about to deploy."])
        let triggeredIDs = (try triggered.object()["results"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(triggeredIDs == [deploy])
        let byProject = try await server.request(
            "POST", "/v1/knowledge/contextual", json: ["situation": "nothing matches", "project_context": "sigmasight"])
        let projectIDs = (try byProject.object()["results"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(projectIDs == [deploy])
        await server.stop()
    }

    @Test("validate sets the status, access counts a use, relate adds an edge and relationships lists it")
    func validateAccessRelate() async throws {
        let server = try await TestServer.start()
        let first = try await Self.add(Self.item, on: server)
        var second = Self.item
        second["title"] = "Check migrations"
        let other = try await Self.add(second, on: server)

        let validated = try await server.request(
            "POST", "/v1/knowledge/\(first)/validate", json: ["status": "validated"])
        #expect(validated.status == 200)
        #expect(try validated.object()["validation_status"] as? String == "validated")
        let accessed = try await server.request(
            "POST", "/v1/knowledge/\(first)/access", json: ["interaction": "applied"])
        #expect(try accessed.object()["access_count"] as? Int == 1)
        #expect(try accessed.object()["last_accessed_at"] is String)

        let related = try await server.request(
            "POST", "/v1/knowledge/\(first)/relationships",
            json: ["target_id": other, "type": "depends_on", "strength": 0.9, "context": "order matters"])
        #expect(related.status == 201)
        let edge = try related.object()
        #expect(edge["source_id"] as? String == first)
        #expect(edge["target_id"] as? String == other)
        #expect(edge["type"] as? String == "depends_on")
        #expect(edge["session_id"] is NSNull)
        let repeated = try await server.request(
            "POST", "/v1/knowledge/\(first)/relationships", json: ["target_id": other, "type": "depends_on"])
        #expect(repeated.status == 409)
        for id in [first, other] {
            let listed = try await server.request("GET", "/v1/knowledge/\(id)/relationships")
            let edges = try #require(try listed.object()["relationships"] as? [[String: Any]])
            #expect(edges.map { $0["id"] as? String } == [edge["id"] as? String])
        }
        await server.stop()
    }

    @Test("bad knowledge requests get a JSON 4xx; unknown ids are 404; nothing refused is stored")
    func badRequests() async throws {
        let server = try await TestServer.start()
        let id = try await Self.add(Self.item, on: server)
        let unknown = UUID().uuidString.lowercased()
        var noTitle = Self.item
        noTitle["title"] = nil
        var badType = Self.item
        badType["type"] = "rumour"
        var zeroImportance = Self.item
        zeroImportance["importance"] = 0
        var wrongVector = Self.item
        wrongVector["vector"] = [1, 0, 0]
        let cases: [(method: String, path: String, body: [String: Any], status: Int, code: String, says: String)] = [
            ("POST", "/v1/knowledge", noTitle, 400, "invalid_json", "title is required"),
            ("POST", "/v1/knowledge", badType, 400, "invalid_json", "type"),
            ("POST", "/v1/knowledge", zeroImportance, 400, "invalid_argument", "importance"),
            ("POST", "/v1/knowledge", wrongVector, 400, "dimension_mismatch", "3"),
            ("POST", "/v1/knowledge/similar", [:], 400, "invalid_argument", "query"),
            ("POST", "/v1/knowledge/similar", ["query": "x", "limit": 1_001], 400, "invalid_argument", "1...1000"),
            ("POST", "/v1/knowledge/similar", ["query": "x", "threshold": 2], 400, "invalid_argument", "threshold"),
            ("POST", "/v1/knowledge/contextual", ["limit": 5], 400, "invalid_json", "situation"),
            ("POST", "/v1/knowledge/\(id)/validate", ["status": "approved"], 400, "invalid_json", "status"),
            ("POST", "/v1/knowledge/\(unknown)/validate", ["status": "validated"], 404, "not_found", unknown),
            ("POST", "/v1/knowledge/\(unknown)/access", [:], 404, "not_found", unknown),
            (
                "POST", "/v1/knowledge/\(id)/relationships", ["target_id": unknown, "type": "enhances"], 404,
                "not_found",
                unknown
            ),
            (
                "POST", "/v1/knowledge/\(id)/relationships", ["target_id": id, "type": "enhances"], 400,
                "invalid_argument", "itself"
            ),
            (
                "POST", "/v1/knowledge/\(id)/relationships", ["target_id": unknown, "type": "likes"], 400,
                "invalid_json", "type"
            ),
            ("POST", "/v1/knowledge/\(id)/access", ["effectiveness_rating": 11], 400, "invalid_argument", "rating"),
        ]
        for item in cases {
            let reply = try await server.request(item.method, item.path, json: item.body)
            #expect(reply.status == item.status, "\(item.path) \(item.body): \(reply.text)")
            #expect(reply.errorCode == item.code, "\(item.path) \(item.body): \(reply.text)")
            #expect(reply.text.contains(item.says), "\(item.path) \(item.body): \(reply.text)")
        }
        for path in ["/v1/knowledge/\(unknown)", "/v1/knowledge/\(unknown)/relationships"] {
            let reply = try await server.request("GET", path)
            #expect(reply.status == 404)
            #expect(reply.errorCode == "not_found")
        }
        let found = try await server.request(
            "POST", "/v1/knowledge/similar", json: ["query": "deploy", "threshold": -1])
        #expect((try found.object()["results"] as? [Any])?.count == 1)
        let item = try await server.request("GET", "/v1/knowledge/\(id)").object()
        #expect(item["validation_status"] as? String == "pending")
        #expect(item["access_count"] as? Int == 0)
        await server.stop()
    }

    @Test("a tenant's key never reads, finds, changes or deletes another tenant's items")
    func isolation() async throws {
        let keyA = "knowledge-a-0123456789"
        let keyB = "knowledge-b-0123456789"
        let reader = "knowledge-r-0123456789"
        let server = try await TestServer.start { configuration in
            configuration.apiKeys = [
                APIKey(key: keyA, tenant: "a", role: .write), APIKey(key: keyB, tenant: "b", role: .write),
                APIKey(key: reader, tenant: "a", role: .read),
            ]
        }
        let id = try await Self.add(Self.item, on: server, key: keyA)
        #expect(try await server.request("GET", "/v1/knowledge/\(id)", key: keyB).status == 404)
        #expect(try await server.request("DELETE", "/v1/knowledge/\(id)", key: keyB).status == 404)
        let validate = try await server.request(
            "POST", "/v1/knowledge/\(id)/validate", json: ["status": "deprecated"], key: keyB)
        #expect(validate.status == 404)
        let similar = try await server.request(
            "POST", "/v1/knowledge/similar", json: ["query": "deploy", "threshold": -1], key: keyB)
        #expect((try similar.object()["results"] as? [Any])?.isEmpty == true)
        let contextual = try await server.request(
            "POST", "/v1/knowledge/contextual", json: ["situation": "deploy"], key: keyB)
        #expect((try contextual.object()["results"] as? [Any])?.isEmpty == true)
        #expect(try await server.request("DELETE", "/v1/knowledge/\(id)", key: reader).status == 403)
        #expect(try await server.request("GET", "/v1/knowledge/\(id)", key: reader).status == 200)
        #expect(try server.store.knowledgeItem(id: id, tenant: "a").validationStatus == .pending)
        await server.stop()
    }
}

import Foundation
import Testing
import Vecd
import VecdEmbed
import VecdServer

/// `/v1` collections, ingestion jobs, documents and chunks over real HTTP.
@Suite("/v1 collections and documents")
struct V1DocumentRouteTests {
    /// Polls the job until it leaves `queued`/`processing` (a bounded wait for a background job, not a timing check).
    static func finishedJob(_ id: String, on server: TestServer) async throws -> [String: Any] {
        for _ in 0..<1_000 {
            let job = try await server.request("GET", "/v1/jobs/\(id)").object()
            if let status = job["status"] as? String, status != "queued", status != "processing" { return job }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestServerError.notAnObject("job \(id) did not finish")
    }

    @Test("collections: create answers 201 then 200 for the same settings, 409 for others; list and get show it")
    func collections() async throws {
        let server = try await TestServer.start()
        let created = try await server.request("POST", "/v1/collections", json: ["name": "docs"])
        #expect(created.status == 201)
        let body = try created.object()
        #expect(body["dimension"] as? Int == HashingEmbedder.defaultDimension)
        #expect(body["metric"] as? String == "cosine")
        #expect(body["storage"] as? String == "f32")
        #expect((body["model_id"] as? String)?.isEmpty == false)
        let again = try await server.request("POST", "/v1/collections", json: ["name": "docs"])
        #expect(again.status == 200)
        let conflicting = try await server.request("POST", "/v1/collections", json: ["name": "docs", "metric": "dot"])
        #expect(conflicting.status == 409)
        #expect(conflicting.errorCode == "conflict")
        let raw = try await server.request(
            "POST", "/v1/collections", json: ["name": "raw", "dimension": 4, "metric": "l2", "storage": "f16"])
        #expect(raw.status == 201)
        #expect(try raw.object()["model_id"] as? String == "")

        _ = try await server.store.addKnowledgeItem(
            KnowledgeItemInput(type: .factual, category: "c", title: "t", content: "makes the store's own collection"))
        let listed = try await server.request("GET", "/v1/collections")
        let names = try #require(try listed.object()["collections"] as? [[String: Any]]).compactMap {
            $0["name"] as? String
        }
        #expect(names == ["docs", "raw"])
        let one = try await server.request("GET", "/v1/collections/raw")
        #expect(try one.object()["dimension"] as? Int == 4)
        for path in ["/v1/collections/nope", "/v1/collections/_knowledge"] {
            let missing = try await server.request("GET", path)
            #expect(missing.status == 404)
            #expect(missing.errorCode == "not_found")
        }
        let badName = try await server.request("POST", "/v1/collections", json: ["name": "has space"])
        #expect(badName.status == 400)
        let badMetric = try await server.request("POST", "/v1/collections", json: ["name": "m", "metric": "manhattan"])
        #expect(badMetric.status == 400)
        #expect(badMetric.text.contains("metric"))
        let badDimension = try await server.request("POST", "/v1/collections", json: ["name": "d", "dimension": 0])
        #expect(badDimension.status == 400)
        #expect(try server.store.collections().map(\.name).contains("d") == false)
        await server.stop()
    }

    @Test("ingest with wait: 201 with the finished job; get, list, chunks and delete the document")
    func ingestAndRead() async throws {
        let server = try await TestServer.start()
        _ = try await server.request("POST", "/v1/collections", json: ["name": "docs"])
        let content = String(repeating: "Hybrid search fuses vector and keyword rankings. ", count: 6)
        let ingested = try await server.request(
            "POST", "/v1/collections/docs/documents",
            json: [
                "title": "Search", "content": content, "document_type": "markdown", "scope": "team:search",
                "metadata": ["lang": "en"], "chunking": ["size": 100, "overlap": 20], "wait": true,
            ])
        #expect(ingested.status == 201)
        let body = try ingested.object()
        let job = try #require(body["job"] as? [String: Any])
        #expect(job["status"] as? String == "completed")
        #expect(job["total_documents"] as? Int == 1)
        #expect(job["processed_documents"] as? Int == 1)
        #expect(job["progress_percent"] as? Double == 100)
        #expect((job["chunk_count"] as? Int ?? 0) > 2)
        let id = try #require((body["document_ids"] as? [String])?.first)

        let document = try await server.request("GET", "/v1/documents/\(id)").object()
        #expect(document["content"] as? String == content)
        #expect(document["title"] as? String == "Search")
        #expect(document["document_type"] as? String == "markdown")
        #expect(document["scope"] as? String == "team:search")
        #expect(document["user_id"] is NSNull)
        #expect(document["job_id"] as? String == job["id"] as? String)
        #expect((document["metadata"] as? [String: Any])?["lang"] as? String == "en")

        let chunks = try #require(
            try await server.request("GET", "/v1/documents/\(id)/chunks").object()["chunks"] as? [[String: Any]])
        #expect(chunks.count == job["chunk_count"] as? Int)
        #expect(chunks.map { $0["index"] as? Int } == Array(0..<chunks.count))
        #expect(chunks.allSatisfy { ($0["content"] as? String)?.unicodeScalars.count ?? 999 <= 100 })
        #expect(chunks.first?["start_offset"] as? Int == 0)

        let listed = try #require(
            try await server.request("GET", "/v1/collections/docs/documents").object()["documents"] as? [[String: Any]])
        #expect(listed.map { $0["id"] as? String } == [id])
        #expect(listed.first?["content"] == nil)

        let deleted = try await server.request("DELETE", "/v1/documents/\(id)")
        #expect(deleted.status == 204)
        for path in ["/v1/documents/\(id)", "/v1/documents/\(id)/chunks"] {
            let gone = try await server.request("GET", path)
            #expect(gone.status == 404)
            #expect(gone.errorCode == "not_found")
        }
        #expect(try server.store.vectorCount(collection: "docs") == 0)
        await server.stop()
    }

    @Test("a batch without wait answers 202 with the queued job and ids; the job reports progress to completion")
    func queuedBatch() async throws {
        let server = try await TestServer.start()
        _ = try await server.request("POST", "/v1/collections", json: ["name": "docs"])
        let documents = (0..<5).map { ["title": "note \($0)", "content": "Note number \($0) about ingestion jobs"] }
        let queued = try await server.request(
            "POST", "/v1/collections/docs/documents", json: ["documents": documents])
        #expect(queued.status == 202)
        let body = try queued.object()
        let job = try #require(body["job"] as? [String: Any])
        #expect(job["total_documents"] as? Int == 5)
        let ids = try #require(body["document_ids"] as? [String])
        #expect(ids.count == 5)
        let finished = try await Self.finishedJob(try #require(job["id"] as? String), on: server)
        #expect(finished["status"] as? String == "completed")
        #expect(finished["processed_documents"] as? Int == 5)
        #expect(finished["progress_percent"] as? Double == 100)
        #expect(finished["finished_at"] is String)
        for id in ids { #expect(try await server.request("GET", "/v1/documents/\(id)").status == 200) }
        let unknown = try await server.request("GET", "/v1/jobs/\(UUID().uuidString.lowercased())")
        #expect(unknown.status == 404)
        #expect(unknown.errorCode == "not_found")
        await server.stop()
    }

    @Test("raw vectors: one per chunk into a collection without the embedder's dimension")
    func rawVectors() async throws {
        let server = try await TestServer.start()
        _ = try await server.request("POST", "/v1/collections", json: ["name": "raw", "dimension": 4])
        let ingested = try await server.request(
            "POST", "/v1/collections/raw/documents",
            json: [
                "documents": [
                    ["title": "a", "content": "first", "vector": [1, 0, 0, 0]],
                    ["title": "b", "content": "second", "vectors": [[0, 1, 0, 0]]],
                ],
                "wait": true,
            ])
        #expect(ingested.status == 201)
        #expect(try server.store.vectorCount(collection: "raw") == 2)
        let textOnly = try await server.request(
            "POST", "/v1/collections/raw/documents", json: ["title": "c", "content": "needs the embedder"])
        #expect(textOnly.status == 400)
        #expect(textOnly.errorCode == "dimension_mismatch")
        let both = try await server.request(
            "POST", "/v1/collections/raw/documents",
            json: ["content": "x", "vector": [1, 0, 0, 0], "vectors": [[1, 0, 0, 0]]])
        #expect(both.status == 400)
        let twoForOne = try await server.request(
            "POST", "/v1/collections/raw/documents",
            json: ["content": "one chunk", "vectors": [[1, 0, 0, 0], [0, 1, 0, 0]]])
        #expect(twoForOne.status == 400)
        #expect(twoForOne.text.contains("1 chunks but 2 vectors"))
        #expect(try server.store.documents(in: "raw").count == 2)
        await server.stop()
    }

    @Test("refused requests store nothing: batch over the limit, a bad document, a wrong dimension, bad chunking")
    func refusedBatches() async throws {
        let server = try await TestServer.start { $0.limits.maxBatch = 3 }
        _ = try await server.request("POST", "/v1/collections", json: ["name": "docs"])
        _ = try await server.request("POST", "/v1/collections", json: ["name": "raw", "dimension": 4])
        let good = ["title": "good", "content": "a perfectly fine document"]
        let cases: [(path: String, body: [String: Any], status: Int, code: String, says: String)] = [
            ("docs", ["documents": Array(repeating: good, count: 4)], 413, "too_large", "the limit is 3"),
            ("docs", ["documents": [good, ["title": "blank", "content": " \n "]]], 400, "empty_text", "document 1"),
            ("docs", ["documents": [good, ["title": "no content"]]], 400, "invalid_argument", "documents[1].content"),
            ("docs", ["documents": [good, ["content": 42]]], 400, "invalid_json", "content"),
            ("docs", ["documents": []], 400, "invalid_argument", "empty"),
            ("docs", ["documents": [good], "chunking": ["size": 5]], 400, "invalid_argument", "chunk size"),
            ("docs", ["documents": [good, ["content": "x", "metadata": "flat"]]], 400, "invalid_json", "metadata"),
            (
                "raw",
                ["documents": [["content": "x", "vector": [1, 0, 0, 0]], ["content": "y", "vector": [1, 0]]]],
                400, "dimension_mismatch", "document 1"
            ),
            (
                "docs", ["documents": [["id": "same", "content": "x"], ["id": "same", "content": "y"]]], 409,
                "conflict",
                "same"
            ),
            ("missing", ["documents": [good]], 404, "not_found", "missing"),
        ]
        for item in cases {
            let reply = try await server.request("POST", "/v1/collections/\(item.path)/documents", json: item.body)
            #expect(reply.status == item.status, "\(item.body): \(reply.text)")
            #expect(reply.errorCode == item.code, "\(item.body): \(reply.text)")
            #expect(reply.text.contains(item.says), "\(reply.text)")
        }
        #expect(try server.store.documents(in: "docs").isEmpty)
        #expect(try server.store.documents(in: "raw").isEmpty)
        #expect(try server.store.vectorCount(collection: "docs") == 0)
        let stored = try await server.request(
            "POST", "/v1/collections/docs/documents", json: ["id": "taken", "content": "x", "wait": true])
        #expect(stored.status == 201)
        let duplicate = try await server.request(
            "POST", "/v1/collections/docs/documents", json: ["id": "taken", "content": "again"])
        #expect(duplicate.status == 409)
        #expect(try server.store.documents(in: "docs").count == 1)
        await server.stop()
    }

    @Test("a caller's id with a space works in the path; a pdf comes only as base64 content_base64")
    func idsAndPDFFields() async throws {
        let server = try await TestServer.start()
        _ = try await server.request("POST", "/v1/collections", json: ["name": "docs"])
        let stored = try await server.request(
            "POST", "/v1/collections/docs/documents", json: ["id": "quarterly report", "content": "Q3", "wait": true])
        #expect(try stored.object()["document_ids"] as? [String] == ["quarterly report"])
        let got = try await server.request("GET", "/v1/documents/quarterly%20report")
        #expect(got.status == 200)
        #expect(try got.object()["id"] as? String == "quarterly report")
        #expect(try await server.request("GET", "/v1/documents/quarterly%20report/chunks").status == 200)
        #expect(try await server.request("DELETE", "/v1/documents/quarterly%20report").status == 204)

        let cases: [(body: [String: Any], says: String)] = [
            (["document_type": "pdf", "content_base64": "not base64!"], "not valid base64"),
            (["document_type": "pdf", "content": "text", "content_base64": "JVBERg=="], "content_base64, not content"),
            (["content": "text", "content_base64": "JVBERg=="], "only for document_type pdf"),
        ]
        for item in cases {
            let reply = try await server.request("POST", "/v1/collections/docs/documents", json: item.body)
            #expect(reply.status == 400, "\(reply.text)")
            #expect(reply.errorCode == "invalid_argument")
            #expect(reply.text.contains(item.says), "\(reply.text)")
        }
        #expect(try server.store.documents(in: "docs").isEmpty)
        await server.stop()
    }

    @Test("tenants and users: another tenant's or user's document is a 404; only admin deletes a collection")
    func isolationAndRoles() async throws {
        let admin = "admin-key-0123456789"
        let alice = "alice-key-0123456789"
        let bob = "bob-key-0123456789xx"
        let other = "other-tenant-key-0123"
        let server = try await TestServer.start { configuration in
            configuration.apiKeys = [
                APIKey(key: admin, tenant: "t", role: .admin),
                APIKey(key: alice, tenant: "t", userID: "alice", role: .write),
                APIKey(key: bob, tenant: "t", userID: "bob", role: .write),
                APIKey(key: other, tenant: "u", role: .write),
            ]
        }
        _ = try await server.request("POST", "/v1/collections", json: ["name": "docs"], key: alice)
        let ingested = try await server.request(
            "POST", "/v1/collections/docs/documents", json: ["content": "alice's private note", "wait": true],
            key: alice)
        let id = try #require((try ingested.object()["document_ids"] as? [String])?.first)
        let own = try await server.request("GET", "/v1/documents/\(id)", key: alice)
        #expect(try own.object()["user_id"] as? String == "alice")
        for key in [bob, other] {
            #expect(try await server.request("GET", "/v1/documents/\(id)", key: key).status == 404)
            #expect(try await server.request("DELETE", "/v1/documents/\(id)", key: key).status == 404)
            let listed = try await server.request("GET", "/v1/collections/docs/documents", key: key)
            #expect((try listed.object()["documents"] as? [Any])?.isEmpty == true)
        }
        let jobID = try #require((try ingested.object()["job"] as? [String: Any])?["id"] as? String)
        #expect(try await server.request("GET", "/v1/jobs/\(jobID)", key: other).status == 404)
        let forOther = try await server.request(
            "POST", "/v1/collections/docs/documents", json: ["content": "x", "user_id": "bob"], key: alice)
        #expect(forOther.status == 403)

        let notAdmin = try await server.request("DELETE", "/v1/collections/docs", key: alice)
        #expect(notAdmin.status == 403)
        #expect(try await server.request("GET", "/v1/documents/\(id)", key: admin).status == 200)
        let dropped = try await server.request("DELETE", "/v1/collections/docs", key: admin)
        #expect(dropped.status == 204)
        #expect(try await server.request("GET", "/v1/documents/\(id)", key: admin).status == 404)
        await server.stop()
    }
}

import Foundation
import Testing
import VecdEmbed
import Vecd
import VecdServer

/// `/v1/admin/stats`, `/v1/admin/verify` and the streamed form of the maintenance routes.
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
        #expect(memories["dimension"] as? Int == HashingEmbedder.defaultDimension)
        let store = try #require(body["store"] as? [String: Any])
        #expect((store["database_bytes"] as? Int ?? 0) > 0)
        #expect(body["uptime_seconds"] is Double)
        // What `vecd stats` prints beside the server: the memory is logged, not yet in a segment.
        let index = try #require(body["index"] as? [String: Any])
        let indexCollections = try #require(index["collections"] as? [[String: Any]])
        let indexed = try #require(indexCollections.first { $0["name"] as? String == "_memories" })
        #expect(indexed["stored_vectors"] as? Int == 1 && indexed["indexed_vectors"] as? Int == 1)
        #expect(indexed["unflushed_rows"] as? Int == 1 && indexed["segments"] as? Int == 0)
        #expect(index["pending_changes"] is Int)
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
        #expect((body["index_problems"] as? [String: String])?.isEmpty == true)
        let collections = try #require(body["collections"] as? [[String: Any]])
        let memories = try #require(collections.first { $0["name"] as? String == "_memories" })
        #expect(memories["stored_vectors"] as? Int == 1 && memories["rebuild_reason"] == nil)
        await server.stop()
    }

    /// The body's lines, each decoded as a JSON object.
    static func lines(_ reply: TestServer.Reply) throws -> [[String: Any]] {
        try reply.text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test("compact?progress=true streams one progress line per step, then the result line")
    func streamedCompaction() async throws {
        let server = try await TestServer.start()
        #expect(try await server.request("POST", "/memory/add", json: ["content": "the gate code changed"]).status == 201)
        let reply = try await server.request("POST", "/v1/admin/compact?progress=true")
        #expect(reply.status == 200)
        #expect(reply.headers["content-type"] == "application/x-ndjson")
        let lines = try Self.lines(reply)
        let steps = lines.compactMap { $0["progress"] as? [String: Any] }
        #expect(steps.first?["step"] as? String == "compacting" && steps.first?["completed"] as? Int == 0)
        #expect(steps.count >= 2)
        let result = try #require(lines.last?["result"] as? [String: Any])
        #expect(result["vacuumed"] as? Bool == false && result["seconds"] is Double)
        await server.stop()
    }

    @Test("backup?progress=true into an occupied directory ends the stream with the error line and writes nothing")
    func streamedFailure() async throws {
        let server = try await TestServer.start()
        let occupied = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-occupied-\(UUID())")
        try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: occupied) }
        try Data("keep".utf8).write(to: occupied.appendingPathComponent("note"))
        let reply = try await server.request(
            "POST", "/v1/admin/backup?progress=true", json: ["destination": occupied.path])
        #expect(reply.status == 200)
        let error = try #require(try Self.lines(reply).last?["error"] as? [String: Any])
        // Said in words, without the path: over HTTP it is a path on the server's disk.
        let message = error["message"] as? String ?? ""
        #expect(error["code"] as? String == "invalid_argument" && message.contains("not empty"))
        #expect(!message.contains(occupied.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: occupied.path) == ["note"])
        await server.stop()
    }
}

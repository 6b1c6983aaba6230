import Foundation
import Testing
import Vecd
import VecdServer

/// Errors in the caller's words, over real HTTP: the documented status and code, and no server internals (Swift
/// type names, SQLite text, file paths) in any body.
@Suite("error statuses and texts")
struct ErrorTextTests {
    /// Text that belongs to the server's inside and must never reach a client.
    static let internals = [
        "Swift.", "DecodingError", "Cannot initialize", "UNIQUE constraint", "constraint failed", "SQLITE", "NIO",
        "/tmp/", "internal error:", "bind(",
    ]

    static func expectClean(_ reply: TestServer.Reply, _ comment: Comment? = nil, store: VecdStore) {
        for marker in internals + [store.directory.path] {
            #expect(!reply.text.contains(marker), "\(comment?.description ?? "") leaks \(marker): \(reply.text)")
        }
    }

    @Test("a wrong method on a served path is 405 method_not_allowed with Allow; an unknown path stays 404")
    func methodNotAllowed() async throws {
        let server = try await TestServer.start()
        let wrong = try await server.request("DELETE", "/memory/add")
        #expect(wrong.status == 405)
        #expect(wrong.errorCode == "method_not_allowed")
        #expect(wrong.headers["allow"] == "POST")
        let captured = try await server.request("PUT", "/v1/memories/abc")
        #expect(captured.status == 405)
        #expect(Set((captured.headers["allow"] ?? "").components(separatedBy: ", ")) == ["DELETE", "GET", "PATCH"])
        let unknown = try await server.request("GET", "/v1/no-such-route")
        #expect(unknown.status == 404)
        #expect(unknown.errorCode == "route_not_found")
        Self.expectClean(unknown, store: server.store)
        await server.stop()
    }

    @Test("a write key adding a global memory through the seed route is 403 forbidden, and nothing is stored")
    func globalMemoryNeedsAdmin() async throws {
        let server = try await TestServer.start {
            $0.apiKeys = [APIKey(key: "write-key-0123456789", tenant: "acme", role: .write)]
        }
        let refused = try await server.request(
            "POST", "/memory/add", json: ["content": "Be polite", "scope": "global"], key: "write-key-0123456789")
        #expect(refused.status == 403)
        #expect(refused.errorCode == "forbidden")
        #expect(!refused.text.contains("allowGlobal"))
        #expect(try server.store.memories(MemoryViewer(tenantID: "acme")).isEmpty)
        await server.stop()
    }

    @Test("a value outside a closed set names the field and the accepted values, not a Swift type")
    func closedSetValue() async throws {
        let server = try await TestServer.start()
        let reply = try await server.request("POST", "/api/v1/agent/messages/m1/feedback", json: ["rating": "meh"])
        #expect(reply.status == 400)
        let message = try #require((try reply.object()["error"] as? [String: Any])?["message"] as? String)
        #expect(message.contains("rating"))
        #expect(message.contains("up") && message.contains("down"))
        #expect(message.contains("meh"))
        #expect(!message.contains("FeedbackRating"))
        Self.expectClean(reply, store: server.store)
        let metric = try await server.request(
            "POST", "/v1/collections", json: ["name": "c1", "dimension": 3, "metric": "manhattan"])
        #expect(metric.status == 400)
        #expect(metric.text.contains("cosine, dot, l2") && !metric.text.contains("DistanceMetric"))
        await server.stop()
    }

    @Test("a duplicate relationship is 409 conflict in the caller's words, not SQLite's")
    func duplicateRelationship() async throws {
        let server = try await TestServer.start()
        var ids: [String] = []
        for title in ["Deploy the backend", "Check migrations"] {
            var item = V1KnowledgeRouteTests.item
            item["title"] = title
            ids.append(try await V1KnowledgeRouteTests.add(item, on: server))
        }
        let edge: [String: Any] = ["target_id": ids[1], "type": "depends_on"]
        let first = try await server.request("POST", "/v1/knowledge/\(ids[0])/relationships", json: edge)
        #expect(first.status == 201)
        let repeated = try await server.request("POST", "/v1/knowledge/\(ids[0])/relationships", json: edge)
        #expect(repeated.status == 409)
        #expect(repeated.errorCode == "conflict")
        #expect(repeated.text.contains("relationship"))
        Self.expectClean(repeated, store: server.store)
        await server.stop()
    }
}

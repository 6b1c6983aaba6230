import Foundation
import Testing
import Vecd
import VecdServer

/// `/v1/preferences` and `/v1/users/{id}/memory` over real HTTP.
@Suite("/v1 preferences and per-user memory")
struct V1PreferenceRouteTests {
    @Test("set, get, list by category, per-user override with fallback, delete")
    func preferences() async throws {
        let server = try await TestServer.start()
        let set = try await server.request(
            "PUT", "/v1/preferences/user.wake_time", json: ["value": ["time": "07:00"], "category": "schedule"])
        #expect(set.status == 200)
        let body = try set.object()
        #expect(body["key"] as? String == "user.wake_time")
        #expect((body["value"] as? [String: Any])?["time"] as? String == "07:00")
        #expect(body["user_id"] is NSNull)
        #expect(body["updated_at"] is String)

        let own = try await server.request(
            "PUT", "/v1/preferences/user.wake_time", json: ["value": ["time": "06:00"], "user_id": "alice"])
        #expect(try own.object()["user_id"] as? String == "alice")
        let forAlice = try await server.request("GET", "/v1/preferences/user.wake_time?user_id=alice")
        #expect((try forAlice.object()["value"] as? [String: Any])?["time"] as? String == "06:00")
        let forBob = try await server.request("GET", "/v1/preferences/user.wake_time?user_id=bob")
        #expect((try forBob.object()["value"] as? [String: Any])?["time"] as? String == "07:00")

        _ = try await server.request("PUT", "/v1/preferences/ui.theme", json: ["value": "dark", "category": "ui"])
        let all = try await server.request("GET", "/v1/preferences?user_id=alice")
        let listed = try #require(try all.object()["preferences"] as? [[String: Any]])
        #expect(listed.count == 3)
        let ui = try await server.request("GET", "/v1/preferences?category=ui")
        #expect((try ui.object()["preferences"] as? [[String: Any]])?.map { $0["key"] as? String } == ["ui.theme"])

        #expect(try await server.request("DELETE", "/v1/preferences/ui.theme").status == 204)
        let gone = try await server.request("GET", "/v1/preferences/ui.theme")
        #expect(gone.status == 404)
        #expect(gone.errorCode == "not_found")
        #expect(try await server.request("DELETE", "/v1/preferences/ui.theme").status == 404)
        await server.stop()
    }

    @Test("a key with reserved characters round-trips percent-encoded in the path")
    func encodedKey() async throws {
        let server = try await TestServer.start()
        let set = try await server.request("PUT", "/v1/preferences/my%20office%2Flamp", json: ["value": 42])
        #expect(set.status == 200)
        #expect(try set.object()["key"] as? String == "my office/lamp")
        let got = try await server.request("GET", "/v1/preferences/my%20office%2Flamp")
        #expect(try got.object()["value"] as? Int == 42)
        #expect(try server.store.preference(key: "my office/lamp").value == .number(42))
        await server.stop()
    }

    @Test("a body without value, or with a wrong type, is refused and stores nothing")
    func refusals() async throws {
        let server = try await TestServer.start()
        let missing = try await server.request("PUT", "/v1/preferences/a.b", json: ["category": "x"])
        #expect(missing.status == 400)
        #expect(missing.errorCode == "invalid_json")
        #expect(missing.text.contains("value"))
        let wrongType = try await server.request("PUT", "/v1/preferences/a.b", json: ["value": 1, "category": 5])
        #expect(wrongType.status == 400)
        let longKey = String(repeating: "k", count: 300)
        let tooLong = try await server.request("PUT", "/v1/preferences/\(longKey)", json: ["value": 1])
        #expect(tooLong.status == 400)
        #expect(tooLong.errorCode == "invalid_argument")
        #expect(try server.store.preferences().isEmpty)
        await server.stop()
    }

    @Test("per-user memory: replace, append a line, read, delete; an oversized replace keeps the old text")
    func userMemory() async throws {
        let server = try await TestServer.start()
        #expect(try await server.request("GET", "/v1/users/alice/memory").status == 404)
        let replaced = try await server.request(
            "PUT", "/v1/users/alice/memory", json: ["memory": "Prefers short answers", "metadata": ["v": 1]])
        #expect(replaced.status == 200)
        #expect(try replaced.object()["user_id"] as? String == "alice")
        let appended = try await server.request(
            "POST", "/v1/users/alice/memory/append", json: ["text": "Speaks Polish"])
        #expect(try appended.object()["memory"] as? String == "Prefers short answers\nSpeaks Polish")
        #expect((try appended.object()["metadata"] as? [String: Any])?["v"] as? Int == 1)

        let limit = server.store.configuration.userMemoryByteLimit
        let huge = try await server.request(
            "PUT", "/v1/users/alice/memory", json: ["memory": String(repeating: "x", count: limit + 1)])
        #expect(huge.status == 413)
        #expect(huge.errorCode == "too_large")
        let empty = try await server.request("POST", "/v1/users/alice/memory/append", json: ["text": " "])
        #expect(empty.status == 400)
        let read = try await server.request("GET", "/v1/users/alice/memory")
        #expect(try read.object()["memory"] as? String == "Prefers short answers\nSpeaks Polish")

        #expect(try await server.request("DELETE", "/v1/users/alice/memory").status == 204)
        #expect(try await server.request("GET", "/v1/users/alice/memory").status == 404)
        await server.stop()
    }

    @Test("a user-bound key reaches only its own user's memory and preferences")
    func userBoundKey() async throws {
        let keys = [APIKey(key: "alice-key-0123456789", tenant: "acme", userID: "alice", role: .write)]
        let server = try await TestServer.start { $0.apiKeys = keys }
        let key = "alice-key-0123456789"
        #expect(
            try await server.request("PUT", "/v1/users/alice/memory", json: ["memory": "hi"], key: key).status == 200)
        let other = try await server.request("PUT", "/v1/users/bob/memory", json: ["memory": "hi"], key: key)
        #expect(other.status == 403)
        #expect(throws: VecdError.self) { try server.store.userMemory(userID: "bob", tenant: "acme") }
        let pref = try await server.request(
            "PUT", "/v1/preferences/lang", json: ["value": "pl", "user_id": "bob"], key: key)
        #expect(pref.status == 403)
        let ownPref = try await server.request("PUT", "/v1/preferences/lang", json: ["value": "pl"], key: key)
        #expect(try ownPref.object()["user_id"] as? String == "alice")
        #expect(try server.store.preferences(tenant: "acme", userID: "bob").isEmpty)
        await server.stop()
    }
}

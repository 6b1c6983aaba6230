import Foundation
import Testing
import Vecd
import VecdServer

/// `/v1/conversations` and their messages over real HTTP.
@Suite("/v1 conversations")
struct V1ConversationRouteTests {
    @Test("create, add messages in order, list, get, delete with its messages")
    func lifecycle() async throws {
        let server = try await TestServer.start()
        let created = try await server.request(
            "POST", "/v1/conversations", json: ["user_id": "alice", "session_id": "s1", "title": "Lights"])
        #expect(created.status == 201)
        let conversation = try created.object()
        let id = try #require(conversation["id"] as? String)
        #expect(conversation["session_id"] as? String == "s1")
        #expect(conversation["metadata"] as? [String: Any] != nil)

        let first = try await server.request(
            "POST", "/v1/conversations/\(id)/messages",
            json: ["role": "user", "content": "Turn on the lights", "language": "en", "intent": "lights.on"])
        #expect(first.status == 201)
        #expect(try first.object()["conversation_id"] as? String == id)
        let second = try await server.request(
            "POST", "/v1/conversations/\(id)/messages",
            json: ["role": "assistant", "content": "Done", "id": "msg 42"])
        #expect(try second.object()["id"] as? String == "msg 42")
        #expect(try second.object()["language"] is NSNull)

        let messages = try await server.request("GET", "/v1/conversations/\(id)/messages")
        let listed = try #require(try messages.object()["messages"] as? [[String: Any]])
        #expect(listed.map { $0["role"] as? String } == ["user", "assistant"])
        #expect(listed.first?["intent"] as? String == "lights.on")
        let limited = try await server.request("GET", "/v1/conversations/\(id)/messages?limit=1")
        #expect((try limited.object()["messages"] as? [[String: Any]])?.count == 1)

        let byUser = try await server.request("GET", "/v1/conversations?user_id=alice")
        #expect((try byUser.object()["conversations"] as? [[String: Any]])?.first?["id"] as? String == id)
        let byOther = try await server.request("GET", "/v1/conversations?user_id=bob")
        #expect((try byOther.object()["conversations"] as? [[String: Any]])?.isEmpty == true)
        #expect(try await server.request("GET", "/v1/conversations/\(id)").status == 200)

        #expect(try await server.request("DELETE", "/v1/conversations/\(id)").status == 204)
        #expect(try await server.request("GET", "/v1/conversations/\(id)").status == 404)
        #expect(try await server.request("GET", "/v1/conversations/\(id)/messages").status == 404)
        await server.stop()
    }

    @Test("the caller's own conversation id is kept; a second one with the same id is a 409 conflict")
    func ownIDs() async throws {
        let server = try await TestServer.start()
        let created = try await server.request("POST", "/v1/conversations", json: ["id": "conv 123"])
        #expect(try created.object()["id"] as? String == "conv 123")
        #expect(try await server.request("GET", "/v1/conversations/conv%20123").status == 200)
        let duplicate = try await server.request("POST", "/v1/conversations", json: ["id": "conv 123"])
        #expect(duplicate.status == 409)
        #expect(duplicate.errorCode == "conflict")
        await server.stop()
    }

    @Test("a bad role, a missing content or an unknown conversation stores no message")
    func refusals() async throws {
        let server = try await TestServer.start()
        let created = try await server.request("POST", "/v1/conversations", json: [String: Any]())
        let id = try #require(try created.object()["id"] as? String)
        let badRole = try await server.request(
            "POST", "/v1/conversations/\(id)/messages", json: ["role": "robot", "content": "beep"])
        #expect(badRole.status == 400)
        #expect(badRole.text.contains("user, assistant, system, tool"))
        let noContent = try await server.request("POST", "/v1/conversations/\(id)/messages", json: ["role": "user"])
        #expect(noContent.status == 400)
        #expect(noContent.errorCode == "invalid_json")
        let unknown = try await server.request(
            "POST", "/v1/conversations/nope/messages", json: ["role": "user", "content": "hi"])
        #expect(unknown.status == 404)
        #expect(try server.store.messages(in: id).isEmpty)
        let badLimit = try await server.request("GET", "/v1/conversations?limit=0")
        #expect(badLimit.status == 400)
        await server.stop()
    }

    @Test("a user-bound key and another tenant's key cannot see or delete a conversation")
    func isolation() async throws {
        let keys = [
            APIKey(key: "acme-admin-0123456789", tenant: "acme", role: .admin),
            APIKey(key: "acme-bob-0123456789", tenant: "acme", userID: "bob", role: .write),
            APIKey(key: "globex-key-0123456789", tenant: "globex", role: .admin),
        ]
        let server = try await TestServer.start { $0.apiKeys = keys }
        let created = try await server.request(
            "POST", "/v1/conversations", json: ["user_id": "alice"], key: "acme-admin-0123456789")
        let id = try #require(try created.object()["id"] as? String)
        for key in ["acme-bob-0123456789", "globex-key-0123456789"] {
            #expect(try await server.request("GET", "/v1/conversations/\(id)", key: key).status == 404)
            #expect(try await server.request("DELETE", "/v1/conversations/\(id)", key: key).status == 404)
            let message = try await server.request(
                "POST", "/v1/conversations/\(id)/messages", json: ["role": "user", "content": "hi"], key: key)
            #expect(message.status == 404)
        }
        let globexList = try await server.request("GET", "/v1/conversations", key: "globex-key-0123456789")
        #expect((try globexList.object()["conversations"] as? [[String: Any]])?.isEmpty == true)
        #expect(try server.store.conversation(id: id, tenant: "acme").userID == "alice")
        #expect(try server.store.messages(in: id, tenant: "acme").isEmpty)
        await server.stop()
    }
}

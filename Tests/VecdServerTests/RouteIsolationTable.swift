import Foundation
import VecdServer

/// One route as the tenant-isolation and role tests see it: who may call it, and the request tenant A sends to
/// try to reach tenant B's data through it.
struct RouteProbe: Sendable {
    enum Access: Sendable {
        /// Needs no key (health probes).
        case open
        /// Needs `role`; everything it touches belongs to the caller's tenant.
        case tenant(Role)
        /// Needs `role`; answers server-wide aggregates (sizes, rates) that name no tenant, id or content.
        case serverWide(Role)

        var role: Role? {
            switch self {
            case .open: nil
            case .tenant(let role), .serverWide(let role): role
            }
        }
    }

    /// The request to send: method, concrete path with query, JSON body.
    struct Call: Sendable {
        var path: String
        var json: JSONBody?
    }

    /// A JSON body built from plain values (Sendable wrapper for JSONSerialization input).
    struct JSONBody: @unchecked Sendable {
        var value: Any
    }

    var method: String
    /// The router's template, as `Router.routes` prints it (`/v1/memories/{id}`).
    var template: String
    var access: Access
    /// Tenant A's attempt on tenant B's data, given what B stored.
    var attack: @Sendable (TenantFixture) -> Call
    /// Extra expectations on A's answer beyond the common ones (no B content or id in the body, B's rows unchanged).
    var check: @Sendable (TestServer.Reply, TenantFixture) throws -> Void = { _, _ in }
    /// A known isolation defect of the route, reported by the test as a known issue until the route is fixed.
    var knownIssue: String? = nil

    var key: String { "\(method) \(template)" }
}

/// Every route of `VecdServer.makeRouter()`. A route missing here fails `everyRouteIsListed`: add a probe that
/// aims tenant A at tenant B's rows (B's ids in the path, B's keys in the query, B's content in the body).
enum RouteIsolationTable {
    static func body(_ value: Any) -> RouteProbe.JSONBody { RouteProbe.JSONBody(value: value) }

    static let probes: [RouteProbe] = [
        RouteProbe(method: "GET", template: "/healthz", access: .open, attack: { _ in .init(path: "/healthz") }),
        RouteProbe(method: "GET", template: "/readyz", access: .open, attack: { _ in .init(path: "/readyz") }),
        RouteProbe(
            method: "POST", template: "/memory/add", access: .tenant(.write),
            attack: { b in .init(path: "/memory/add", json: RouteIsolationTable.body(["content": b.memoryContent, "tags": ["probe"]])) },
            check: { reply, b in
                // The same text in another tenant is a new memory, never a merge into B's.
                try RouteIsolationTable.expectEqual(reply.status, 201, "memory/add")
                let object = try reply.object()
                try RouteIsolationTable.expectEqual(object["merged"] as? Bool, false, "memory/add merged across tenants")
                try RouteIsolationTable.expectEqual(object["id"] as? String == b.memoryID, false, "memory/add answered B's id")
            }),
        RouteProbe(
            method: "GET", template: "/memory/search", access: .tenant(.read),
            attack: { b in .init(path: "/memory/search?query=\(b.handle)&limit=50") }),
        RouteProbe(
            method: "POST", template: "/preferences/set", access: .tenant(.write),
            attack: { b in
                .init(path: "/preferences/set", json: RouteIsolationTable.body(["key": b.preferenceKey, "value": "tenant A's value"]))
            }),
        RouteProbe(
            method: "GET", template: "/preferences/get", access: .tenant(.read),
            attack: { b in .init(path: "/preferences/get?key=\(b.preferenceKey)") }),
        RouteProbe(
            method: "POST", template: "/training/feedback", access: .tenant(.write),
            attack: { b in
                .init(path: "/training/feedback", json: RouteIsolationTable.body(["interaction_id": b.interactionID, "score": 1]))
            }),
        RouteProbe(
            method: "GET", template: "/training/export", access: .tenant(.read),
            attack: { _ in .init(path: "/training/export") }),
        RouteProbe(
            method: "GET", template: "/cache/stats", access: .tenant(.read),
            attack: { _ in .init(path: "/cache/stats") },
            check: { reply, _ in try RouteIsolationTable.expectEqual(try reply.object()["entries"] as? Int, 0, "cache/stats entries") }),
        RouteProbe(
            method: "DELETE", template: "/cache/clear", access: .tenant(.write),
            attack: { _ in .init(path: "/cache/clear?all=true") },
            check: { reply, _ in try RouteIsolationTable.expectEqual(try reply.object()["removed"] as? Int, 0, "cache/clear removed") }),
        // Seed 001's agent routes.
        probe("POST", "/api/v1/agent/kb/index", .write) { b in
            .init(path: "/api/v1/agent/kb/index", json: body(["documents": [["title": "A", "content": b.handle]]]))
        },
        probe("GET", "/api/v1/agent/kb/search", .read) { b in
            .init(path: "/api/v1/agent/kb/search?query=\(b.handle)&k=10&include_global=true")
        },
        probe("POST", "/api/v1/agent/messages/{id}/feedback", .write) { b in
            .init(path: "/api/v1/agent/messages/\(b.messageID)/feedback", json: body(["rating": "down"]))
        },
        // /v1 cache.
        probe("POST", "/v1/cache", .write) { b in
            .init(path: "/v1/cache", json: body(["query": "what is \(b.handle)", "response": "A's answer"]))
        },
        probe("GET", "/v1/cache", .read) { b in .init(path: "/v1/cache?query=what%20is%20\(b.handle)") },
        probe("POST", "/v1/cache/lookup", .read) { b in
            .init(path: "/v1/cache/lookup", json: body(["query": "what is \(b.handle)"]))
        },
        probe("GET", "/v1/cache/stats", .read) { _ in .init(path: "/v1/cache/stats") },
        probe("DELETE", "/v1/cache", .write) { _ in .init(path: "/v1/cache?all=true") },
        // /v1 collections and documents: collections are shared, documents belong to a tenant.
        probe("GET", "/v1/collections", .read) { _ in .init(path: "/v1/collections") },
        probe("POST", "/v1/collections", .write) { b in .init(path: "/v1/collections", json: body(["name": b.collection])) },
        probe("GET", "/v1/collections/{name}", .read) { b in .init(path: "/v1/collections/\(b.collection)") },
        RouteProbe(
            method: "DELETE", template: "/v1/collections/{name}", access: .tenant(.admin),
            attack: { b in .init(path: "/v1/collections/\(b.collection)") }),
        probe("POST", "/v1/collections/{name}/documents", .write) { b in
            .init(
                path: "/v1/collections/\(b.collection)/documents",
                json: body(["documents": [["id": b.documentID, "title": "A", "content": "A's text"]], "wait": true]))
        },
        probe("GET", "/v1/collections/{name}/documents", .read) { b in
            .init(path: "/v1/collections/\(b.collection)/documents")
        },
        probe("POST", "/v1/collections/{name}/search", .read) { b in
            .init(path: "/v1/collections/\(b.collection)/search", json: body(["query": b.handle, "k": 10]))
        },
        probe("GET", "/v1/jobs/{id}", .read) { b in .init(path: "/v1/jobs/\(b.jobID)") },
        probe("GET", "/v1/documents/{id}", .read) { b in .init(path: "/v1/documents/\(b.documentID)") },
        probe("DELETE", "/v1/documents/{id}", .write) { b in .init(path: "/v1/documents/\(b.documentID)") },
        probe("GET", "/v1/documents/{id}/chunks", .read) { b in .init(path: "/v1/documents/\(b.documentID)/chunks") },
        // /v1 conversations.
        probe("POST", "/v1/conversations", .write) { b in
            .init(path: "/v1/conversations", json: body(["id": b.conversationID, "title": "A's chat"]))
        },
        probe("GET", "/v1/conversations", .read) { _ in .init(path: "/v1/conversations") },
        probe("GET", "/v1/conversations/{id}", .read) { b in .init(path: "/v1/conversations/\(b.conversationID)") },
        probe("DELETE", "/v1/conversations/{id}", .write) { b in .init(path: "/v1/conversations/\(b.conversationID)") },
        probe("POST", "/v1/conversations/{id}/messages", .write) { b in
            .init(
                path: "/v1/conversations/\(b.conversationID)/messages", json: body(["role": "user", "content": "A"]))
        },
        probe("GET", "/v1/conversations/{id}/messages", .read) { b in
            .init(path: "/v1/conversations/\(b.conversationID)/messages")
        },
        // /v1 feedback.
        probe("POST", "/v1/feedback", .write) { b in
            .init(path: "/v1/feedback", json: body(["message_id": b.messageID, "rating": "down"]))
        },
        probe("GET", "/v1/feedback", .read) { _ in .init(path: "/v1/feedback") },
        probe("GET", "/v1/feedback/stats", .read) { _ in .init(path: "/v1/feedback/stats") },
        probe("GET", "/v1/feedback/topics", .read) { _ in .init(path: "/v1/feedback/topics") },
        // /v1 knowledge.
        probe("POST", "/v1/knowledge", .write) { b in
            .init(
                path: "/v1/knowledge",
                json: body(["type": "factual", "category": "ops", "title": "A", "content": b.handle]))
        },
        probe("POST", "/v1/knowledge/similar", .read) { b in
            .init(path: "/v1/knowledge/similar", json: body(["query": b.handle, "limit": 10]))
        },
        probe("POST", "/v1/knowledge/contextual", .read) { b in
            .init(path: "/v1/knowledge/contextual", json: body(["situation": b.handle]))
        },
        probe("GET", "/v1/knowledge/{id}", .read) { b in .init(path: "/v1/knowledge/\(b.knowledgeID)") },
        probe("DELETE", "/v1/knowledge/{id}", .write) { b in .init(path: "/v1/knowledge/\(b.knowledgeID)") },
        probe("POST", "/v1/knowledge/{id}/validate", .write) { b in
            .init(path: "/v1/knowledge/\(b.knowledgeID)/validate", json: body(["status": "deprecated"]))
        },
        probe("POST", "/v1/knowledge/{id}/access", .write) { b in
            .init(path: "/v1/knowledge/\(b.knowledgeID)/access", json: body([String: Any]()))
        },
        probe("POST", "/v1/knowledge/{id}/relationships", .write) { b in
            .init(
                path: "/v1/knowledge/\(b.knowledgeID)/relationships",
                json: body(["target_id": b.knowledgeID, "type": "related", "strength": 0.5]))
        },
        probe("GET", "/v1/knowledge/{id}/relationships", .read) { b in
            .init(path: "/v1/knowledge/\(b.knowledgeID)/relationships")
        },
        // /v1 memories.
        probe("POST", "/v1/memories", .write) { b in .init(path: "/v1/memories", json: body(["content": b.memoryContent])) },
        probe("GET", "/v1/memories", .read) { _ in .init(path: "/v1/memories") },
        probe("POST", "/v1/memories/search", .read) { b in
            .init(path: "/v1/memories/search", json: body(["query": b.handle, "k": 10]))
        },
        probe("POST", "/v1/memories/search/text", .read) { b in
            .init(path: "/v1/memories/search/text", json: body(["query": b.handle, "k": 10]))
        },
        probe("GET", "/v1/memories/{id}", .read) { b in .init(path: "/v1/memories/\(b.memoryID)") },
        probe("PATCH", "/v1/memories/{id}", .write) { b in
            .init(path: "/v1/memories/\(b.memoryID)", json: body(["content": "overwritten by A"]))
        },
        probe("DELETE", "/v1/memories/{id}", .write) { b in .init(path: "/v1/memories/\(b.memoryID)") },
        // /v1 preferences.
        probe("GET", "/v1/preferences", .read) { _ in .init(path: "/v1/preferences") },
        probe("GET", "/v1/preferences/{key}", .read) { b in .init(path: "/v1/preferences/\(b.preferenceKey)") },
        probe("PUT", "/v1/preferences/{key}", .write) { b in
            .init(path: "/v1/preferences/\(b.preferenceKey)", json: body(["value": "A's value"]))
        },
        probe("DELETE", "/v1/preferences/{key}", .write) { b in .init(path: "/v1/preferences/\(b.preferenceKey)") },
        // /v1 training.
        probe("POST", "/v1/training/examples", .write) { _ in
            .init(path: "/v1/training/examples", json: body(["input": "A's question", "output": "A's answer"]))
        },
        probe("GET", "/v1/training/examples", .read) { _ in .init(path: "/v1/training/examples") },
        probe("GET", "/v1/training/export", .read) { _ in .init(path: "/v1/training/export") },
        RouteProbe(
            method: "POST", template: "/v1/training/exported", access: .tenant(.write),
            attack: { b in .init(path: "/v1/training/exported", json: body(["ids": [b.trainingID]])) },
            check: { reply, _ in
                try RouteIsolationTable.expectEqual(try reply.object()["marked"] as? Int, 0, "training/exported marked")
            }),
        // /v1 per-user memory.
        probe("GET", "/v1/users/{user_id}/memory", .read) { b in .init(path: "/v1/users/\(b.userID)/memory") },
        probe("PUT", "/v1/users/{user_id}/memory", .write) { b in
            .init(path: "/v1/users/\(b.userID)/memory", json: body(["memory": "A's note"]))
        },
        probe("POST", "/v1/users/{user_id}/memory/append", .write) { b in
            .init(path: "/v1/users/\(b.userID)/memory/append", json: body(["text": "A's line"]))
        },
        probe("DELETE", "/v1/users/{user_id}/memory", .write) { b in .init(path: "/v1/users/\(b.userID)/memory") },
        // Maintenance: server-wide, nothing of a tenant in the answer.
        RouteProbe(
            method: "POST", template: "/v1/admin/compact", access: .serverWide(.admin),
            attack: { _ in .init(path: "/v1/admin/compact") }),
        RouteProbe(
            method: "POST", template: "/v1/admin/reindex", access: .serverWide(.admin),
            attack: { _ in .init(path: "/v1/admin/reindex") }),
        RouteProbe(
            method: "POST", template: "/v1/admin/backup", access: .serverWide(.admin),
            attack: { _ in
                let destination = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-backup-\(UUID())")
                return .init(path: "/v1/admin/backup", json: body(["destination": destination.path]))
            },
            check: { reply, _ in
                if let path = (try? reply.object())?["destination"] as? String {
                    try? FileManager.default.removeItem(atPath: path)
                }
            }),
        RouteProbe(
            method: "GET", template: "/metrics", access: .serverWide(.admin), attack: { _ in .init(path: "/metrics") }),
        RouteProbe(
            method: "GET", template: "/v1/admin/stats", access: .tenant(.admin),
            attack: { _ in .init(path: "/v1/admin/stats") },
            check: { reply, b in
                let object = try reply.object()
                try RouteIsolationTable.expectEqual(object["tenant"] as? String, b.attackerTenant, "admin/stats tenant")
                let rows = object["rows"] as? [String: Int] ?? [:]
                try RouteIsolationTable.expectEqual(rows["preferences"] ?? -1, b.attackerRowsBefore["preferences"] ?? -2, "stats rows")
            }),
        RouteProbe(
            method: "GET", template: "/v1/admin/verify", access: .serverWide(.admin),
            attack: { _ in .init(path: "/v1/admin/verify") }),
    ]

    /// A tenant-scoped route with only the common checks.
    static func probe(
        _ method: String, _ template: String, _ role: Role, attack: @escaping @Sendable (TenantFixture) -> RouteProbe.Call
    ) -> RouteProbe {
        RouteProbe(method: method, template: template, access: .tenant(role), attack: attack)
    }

    /// Throws (failing the calling test with the message) when `actual != expected`.
    static func expectEqual<T: Equatable>(_ actual: T, _ expected: T, _ what: String) throws {
        guard actual == expected else { throw IsolationFailure("\(what): expected \(expected), got \(actual)") }
    }
}

struct IsolationFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

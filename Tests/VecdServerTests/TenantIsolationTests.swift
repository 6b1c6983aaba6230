import Foundation
import Testing
import Vecd
import VecdServer

/// What tenant B stored before tenant A probes every route, and the keys of both tenants.
struct TenantFixture: Sendable {
    static let attacker = "tenant-a"
    static let victim = "tenant-b"
    /// Keys per role: `keys[role]` belongs to tenant A, `victimKeys[role]` to tenant B.
    static let keys: [Role: String] = [
        .read: "a-read-key-0123456789", .write: "a-write-key-0123456789", .admin: "a-admin-key-0123456789",
    ]
    static let victimKeys: [Role: String] = [
        .read: "b-read-key-0123456789", .write: "b-write-key-0123456789", .admin: "b-admin-key-0123456789",
    ]

    static var apiKeys: [APIKey] {
        keys.map { APIKey(key: $0.value, tenant: attacker, role: $0.key) }
            + victimKeys.map { APIKey(key: $0.value, tenant: victim, role: $0.key) }
    }

    /// A word tenant A uses to aim at B's rows (query words, preference keys, interaction ids); errors may echo it.
    let handle = "zqxjhandle"
    /// A word only B's stored values hold (memory text, preference value, feedback comment, cached answer): no
    /// answer to tenant A may contain it.
    let secret = "vvsecretpayload"
    var attackerTenant: String { Self.attacker }
    var memoryContent: String { "The garage code is \(secret), says \(handle)" }
    var preferenceKey: String { "pref.\(handle)" }
    var interactionID: String { "conversation-\(handle)" }
    var memoryID = ""
    /// A collection both tenants use (collections are shared; documents in them belong to a tenant).
    let collection = "shared-docs"
    let userID = "bob"
    var documentID = ""
    var jobID = ""
    var knowledgeID = ""
    var conversationID = ""
    var messageID = ""
    var trainingID = ""
    /// Ids of B's rows that A must never see.
    var victimIDs: [String] = []
    var victimRowsBefore: [String: Int] = [:]
    var attackerRowsBefore: [String: Int] = [:]
}

@Suite("Tenant isolation and roles, route by route")
struct TenantIsolationTests {
    /// Starts a server with both tenants' keys, and stores B's rows through B's own key.
    static func startWithVictimData() async throws -> (TestServer, TenantFixture) {
        let server = try await TestServer.start { $0.apiKeys = TenantFixture.apiKeys }
        var fixture = TenantFixture()
        let bWrite = TenantFixture.victimKeys[.write]
        let added = try await server.request(
            "POST", "/memory/add", json: ["content": fixture.memoryContent, "tags": [fixture.handle]], key: bWrite)
        #expect(added.status == 201)
        fixture.memoryID = try #require(try added.object()["id"] as? String)
        let preference = try await server.request(
            "POST", "/preferences/set", json: ["key": fixture.preferenceKey, "value": fixture.secret], key: bWrite)
        #expect(preference.status == 200)
        let feedback = try await server.request(
            "POST", "/training/feedback",
            json: ["interaction_id": fixture.interactionID, "score": 5, "comment": fixture.secret], key: bWrite)
        #expect(feedback.status == 201)
        let feedbackID = try #require(try feedback.object()["id"] as? String)
        _ = try await server.store.cachePut(
            query: "what is \(fixture.handle)", response: "answer \(fixture.secret)", tenant: TenantFixture.victim)
        func post(_ method: String, _ path: String, _ json: Any) async throws -> [String: Any] {
            let reply = try await server.request(method, path, json: json, key: bWrite)
            #expect((200..<300).contains(reply.status), "B's \(method) \(path): \(reply.text)")
            return (try? reply.object()) ?? [:]
        }
        _ = try await post("POST", "/v1/collections", ["name": fixture.collection])
        let ingested = try await post(
            "POST", "/v1/collections/\(fixture.collection)/documents",
            ["documents": [["title": "B's plan", "content": "B's plan: \(fixture.secret) near \(fixture.handle)"]], "wait": true])
        fixture.documentID = (ingested["document_ids"] as? [String])?.first ?? ""
        fixture.jobID = (ingested["job"] as? [String: Any])?["id"] as? String ?? ""
        let knowledge = try await post(
            "POST", "/v1/knowledge",
            ["type": "factual", "category": "ops", "title": "B's fact", "content": "\(fixture.handle) is \(fixture.secret)"])
        fixture.knowledgeID = knowledge["id"] as? String ?? ""
        let conversation = try await post("POST", "/v1/conversations", ["title": "B's chat"])
        fixture.conversationID = conversation["id"] as? String ?? ""
        let message = try await post(
            "POST", "/v1/conversations/\(fixture.conversationID)/messages",
            ["role": "user", "content": "\(fixture.handle) \(fixture.secret)"])
        fixture.messageID = message["id"] as? String ?? ""
        _ = try await post("PUT", "/v1/users/\(fixture.userID)/memory", ["memory": "B's user \(fixture.secret)"])
        let example = try await post(
            "POST", "/v1/training/examples", ["input": "\(fixture.handle)?", "output": fixture.secret])
        fixture.trainingID = example["id"] as? String ?? ""
        let seedIndex = try await post(
            "POST", "/api/v1/agent/kb/index",
            ["documents": [["title": "B's kb", "content": "\(fixture.handle) kb \(fixture.secret)", "scope": "ops"]]])
        _ = try await post("POST", "/api/v1/agent/messages/\(fixture.messageID)/feedback", ["rating": "up"])
        fixture.victimIDs = [fixture.memoryID, feedbackID, fixture.documentID, fixture.jobID, fixture.knowledgeID,
            fixture.conversationID, fixture.messageID, fixture.trainingID] + (seedIndex["ids"] as? [String] ?? [])
        #expect(!fixture.victimIDs.contains(""), "B's fixture is missing an id: \(fixture.victimIDs)")
        fixture.victimRowsBefore = try server.store.rowCounts(tenant: TenantFixture.victim)
        fixture.attackerRowsBefore = try server.store.rowCounts(tenant: TenantFixture.attacker)
        return (server, fixture)
    }

    @Test("every route the router registers has an isolation probe, and every probe a route")
    func everyRouteIsListed() throws {
        let store = try VecdStore.temporary()
        let registered = Set(VecdServer(configuration: ServerConfiguration(), store: store).registeredRoutes)
        let listed = Set(RouteIsolationTable.probes.map(\.key))
        #expect(
            registered.subtracting(listed).isEmpty,
            "routes without a probe in RouteIsolationTable: \(registered.subtracting(listed).sorted())")
        #expect(listed.subtracting(registered).isEmpty, "probes of no route: \(listed.subtracting(registered).sorted())")
        #expect(listed.count == RouteIsolationTable.probes.count, "a route is listed twice")
    }

    /// Each probe runs against a fresh server, so what one probe wrote as tenant A (B's text copied into A's own
    /// memory, say) cannot be mistaken for a leak by the next.
    @Test("tenant A's admin key, aimed at tenant B's rows through every route, sees and changes none of them")
    func noRouteCrossesTenants() async throws {
        for probe in RouteIsolationTable.probes {
            let (server, fixture) = try await Self.startWithVictimData()
            let call = probe.attack(fixture)
            let key = probe.access.role == nil ? nil : TenantFixture.keys[.admin]
            let reply = try await server.request(probe.method, call.path, json: call.json?.value, key: key)
            #expect(reply.status < 500, "\(probe.key) answered \(reply.status): \(reply.text)")
            #expect(![401, 403].contains(reply.status), "\(probe.key) refused tenant A's admin key: \(reply.text)")
            // What A sent itself (B's id in a path, B's text copied into A's own memory) may come back to A; anything
            // else of B's may not. Refusals may also echo what was asked for ("no document d-…").
            let sent = call.path + (call.json.flatMap { try? JSONSerialization.data(withJSONObject: $0.value) }
                .map { String(decoding: $0, as: UTF8.self) } ?? "")
            if !sent.contains(fixture.secret) {
                #expect(!reply.text.contains(fixture.secret), "\(probe.key) showed tenant B's content: \(reply.text)")
            }
            if (200..<300).contains(reply.status) {
                for id in fixture.victimIDs where !sent.contains(id) {
                    #expect(!reply.text.contains(id), "\(probe.key) showed tenant B's id \(id): \(reply.text)")
                }
            }
            do { try probe.check(reply, fixture) } catch { Issue.record("\(probe.key): \(error)") }
            let victimRows = try server.store.rowCounts(tenant: TenantFixture.victim)
            let changed = victimRows.filter { fixture.victimRowsBefore[$0.key] != $0.value }
            if let knownIssue = probe.knownIssue {
                withKnownIssue(Comment(rawValue: "\(probe.key): \(knownIssue)")) {
                    #expect(changed.isEmpty, "\(probe.key) changed tenant B's rows: \(changed)")
                }
            } else {
                #expect(changed.isEmpty, "\(probe.key) changed tenant B's rows: \(changed)")
            }
            // B's own rows still read back as B wrote them.
            let memory = try server.store.memory(
                id: fixture.memoryID, viewer: MemoryViewer(tenantID: TenantFixture.victim))
            #expect(memory.content == fixture.memoryContent, "\(probe.key) changed B's memory")
            let preference = try server.store.preference(key: fixture.preferenceKey, tenant: TenantFixture.victim)
            #expect(preference.value == .string(fixture.secret), "\(probe.key) changed B's preference")
            #expect(try server.store.cacheStats(tenant: TenantFixture.victim).entries == 1)
            await server.stop()
        }
    }

    @Test("a key below a route's role gets 403 and changes nothing; a key with the role is let through")
    func rolesAreEnforced() async throws {
        let (server, fixture) = try await Self.startWithVictimData()
        for probe in RouteIsolationTable.probes {
            guard let role = probe.access.role else { continue }
            let call = probe.attack(fixture)
            for weaker in Role.allCases where weaker < role {
                let rowsBefore = try server.store.rowCounts(tenant: TenantFixture.attacker)
                let reply = try await server.request(
                    probe.method, call.path, json: call.json?.value, key: TenantFixture.keys[weaker])
                #expect(reply.status == 403, "\(probe.key) with a \(weaker) key answered \(reply.status)")
                #expect(reply.errorCode == "forbidden")
                #expect(try server.store.rowCounts(tenant: TenantFixture.attacker) == rowsBefore)
            }
            let allowed = try await server.request(
                probe.method, call.path, json: call.json?.value, key: TenantFixture.keys[role])
            #expect(![401, 403].contains(allowed.status), "\(probe.key) refused a \(role) key: \(allowed.text)")
            let anonymous = try await server.request(probe.method, call.path, json: call.json?.value)
            #expect(anonymous.status == 401, "\(probe.key) without a key answered \(anonymous.status)")
        }
        await server.stop()
    }
}

import Foundation
import Testing
import Vecd
import VecdServer

/// A misspelt field, a stray query parameter or a body that is not strict JSON is an error on every route, never a
/// request read with the unknown part left out (which, for a filter, widens the answer to other users' rows).
@Suite("Strict requests over real HTTP")
struct StrictRequestRouteTests {
    /// Every probe's body (an object) with one more member, `bogus`, is refused with `unknown_field` naming it.
    @Test("an unknown body field is refused on every route that takes a body")
    func unknownBodyFieldOnEveryRoute() async throws {
        let (server, fixture) = try await TenantIsolationTests.startWithVictimData()
        var checked = 0
        for probe in RouteIsolationTable.probes {
            let call = probe.attack(fixture)
            guard var body = call.json?.value as? [String: Any] else { continue }
            body["bogus"] = 1
            let reply = try await server.request(probe.method, call.path, json: body, key: TenantFixture.keys[.admin])
            if reply.errorCode == "invalid_json" {
                // A probe whose own body is refused on decoding (a relationship type the route does not know) reports
                // that first: the members after the bad one were never read, so none can be called unknown.
                let plain = try await server.request(
                    probe.method, call.path, json: call.json?.value, key: TenantFixture.keys[.admin])
                if plain.errorCode == "invalid_json" { continue }
            }
            #expect(reply.status == 400, "\(probe.key) answered \(reply.status) to a bogus field: \(reply.text)")
            #expect(reply.errorCode == "unknown_field", "\(probe.key): \(reply.text)")
            #expect(reply.text.contains("unknown field bogus"), "\(probe.key): \(reply.text)")
            checked += 1
        }
        #expect(checked >= 25, "only \(checked) probes carry a body")
        await server.stop()
    }

    /// The same bodies with a trailing comma before the closing brace: `JSONDecoder` on Linux accepted them.
    @Test("a trailing comma is refused as invalid JSON on every route that takes a body")
    func trailingCommaOnEveryRoute() async throws {
        let (server, fixture) = try await TenantIsolationTests.startWithVictimData()
        for probe in RouteIsolationTable.probes {
            let call = probe.attack(fixture)
            guard let body = call.json?.value as? [String: Any], !body.isEmpty else { continue }
            var text = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
            text.insert(",", at: text.index(before: text.endIndex))
            let reply = try await server.request(
                probe.method, call.path, rawBody: Data(text.utf8), key: TenantFixture.keys[.admin])
            #expect(reply.status == 400, "\(probe.key) answered \(reply.status) to \(text): \(reply.text)")
            #expect(reply.errorCode == "invalid_json", "\(probe.key): \(reply.text)")
            #expect(reply.text.contains("trailing comma"), "\(probe.key): \(reply.text)")
        }
        await server.stop()
    }

    @Test("an unknown query parameter is refused on every route, naming it and what the route takes")
    func unknownQueryParameterOnEveryRoute() async throws {
        let (server, fixture) = try await TenantIsolationTests.startWithVictimData()
        for probe in RouteIsolationTable.probes {
            let call = probe.attack(fixture)
            let path = call.path + (call.path.contains("?") ? "&" : "?") + "bogus_param=1"
            let key = probe.access.role == nil ? nil : TenantFixture.keys[.admin]
            let reply = try await server.request(probe.method, path, json: call.json?.value, key: key)
            #expect(reply.status == 400, "\(probe.key) answered \(reply.status) to ?bogus_param: \(reply.text)")
            #expect(reply.errorCode == "unknown_field", "\(probe.key): \(reply.text)")
            #expect(reply.text.contains("unknown query parameter bogus_param"), "\(probe.key): \(reply.text)")
        }
        await server.stop()
    }

    /// Bodies that used to search every user's documents because the misspelt part was dropped.
    @Test(
        "a misspelt filter key, seed 004's is_global, a top-level filters or bogus member, and wrong types are refused",
        arguments: [
            (#"{"query":"market","filter":{"userId":"carol"}}"#, "unknown_field", "filter.userId (did you mean user_id?)"),
            (#"{"query":"market","filter":{"is_global":true}}"#, "unknown_field", "unknown field filter.is_global"),
            (#"{"query":"market","filters":{"user_id":"carol"}}"#, "unknown_field", "filters (did you mean filter?)"),
            (#"{"query":"market","bogus":1}"#, "unknown_field", "unknown field bogus"),
            (#"{"query":"market","k":"2"}"#, "invalid_json", "k must be an integer"),
            (#"{"query":"market","filter":{"user_id":7}}"#, "invalid_json", "filter.user_id must be a string"),
            (#"{"query":"market","filter":"carol"}"#, "invalid_json", "filter must be an object"),
            (#"{"query":"market","k":2,}"#, "invalid_json", "trailing comma"),
            (#"{"vector":[0.5,0.25,],"k":2}"#, "invalid_json", "trailing comma"),
            (#"{"query":"market","k":2,"k":3}"#, "invalid_json", "appears twice"),
            (#"{"query":"market","k":02}"#, "invalid_json", "malformed number"),
            (#"{"query":"market","min_score":NaN}"#, "invalid_json", "not valid JSON"),
            (#"{"query":"market"} // all users"#, "invalid_json", "not valid JSON"),
        ])
    func searchBodiesAreStrict(body: String, code: String, message: String) async throws {
        let server = try await V1SearchRouteTests.seededServer()
        let reply = try await server.request("POST", "/v1/collections/docs/search", rawBody: Data(body.utf8))
        #expect(reply.status == 400, "\(body) answered \(reply.status): \(reply.text)")
        #expect(reply.errorCode == code, "\(body): \(reply.text)")
        #expect(reply.text.contains(message), "\(body): \(reply.text)")
        await server.stop()
    }

    @Test("the unknown-field message lists what the object takes")
    func unknownFieldListsAcceptedNames() async throws {
        let server = try await V1SearchRouteTests.seededServer()
        let reply = try await server.request(
            "POST", "/v1/collections/docs/search", json: ["query": "market", "filter": ["userId": "carol"]])
        let message = try #require((try reply.object()["error"] as? [String: Any])?["message"] as? String)
        #expect(message.contains("filter takes created_after, created_before, document_ids, document_types"))
        #expect(message.contains("include_global, metadata, scopes, user_id"))
        await server.stop()
    }

    @Test(
        "impossible dates are refused in query strings and filters",
        arguments: ["2026-11-23T25:61:00Z", "2026-02-30", "2026-13-01T00:00:00Z", "2026-11-23T10:00:60Z", "yesterday"])
    func impossibleDates(date: String) async throws {
        let server = try await V1SearchRouteTests.seededServer()
        let escaped = date.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? date
        let list = try await server.request("GET", "/v1/feedback?since=\(escaped)")
        #expect(list.status == 400, "since=\(date) answered \(list.status): \(list.text)")
        #expect(list.errorCode == "invalid_argument")
        #expect(list.text.contains("since must be an ISO 8601 date or timestamp that exists"), "\(list.text)")
        let search = try await server.request(
            "POST", "/v1/collections/docs/search", json: ["query": "market", "filter": ["created_after": date]])
        #expect(search.status == 400, "created_after \(date) answered \(search.status): \(search.text)")
        #expect(search.text.contains("filter.created_after"), "\(search.text)")
        await server.stop()
    }

    @Test("real dates and timestamps, with fractions and offsets, still filter", arguments: [
        "2026-11-23", "2026-11-23T10:00:00Z", "2026-11-23T10:00:00.250Z", "2026-11-23T12:00:00+02:00", "2024-02-29",
    ])
    func possibleDates(date: String) async throws {
        let server = try await V1SearchRouteTests.seededServer()
        let escaped = date.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? date
        let list = try await server.request("GET", "/v1/feedback?since=\(escaped)")
        #expect(list.status == 200, "since=\(date) answered \(list.status): \(list.text)")
        await server.stop()
    }

    @Test("a ttl_seconds shorter than the store's millisecond clock is an invalid argument naming the range")
    func tinyTTLIsInvalid() async throws {
        let server = try await TestServer.start()
        for ttl in [1e-9, 0.0004, 0, -5] {
            let reply = try await server.request(
                "POST", "/v1/cache", json: ["query": "q", "response": "r", "ttl_seconds": ttl])
            #expect(reply.status == 400, "ttl_seconds \(ttl) answered \(reply.status): \(reply.text)")
            #expect(reply.errorCode == "invalid_argument", "\(reply.text)")
            #expect(reply.text.contains("ttl_seconds must be between 0.001"), "\(reply.text)")
        }
        let kept = try await server.request(
            "POST", "/v1/cache", json: ["query": "q", "response": "r", "ttl_seconds": 0.5])
        #expect(kept.status == 201, "\(kept.text)")
        await server.stop()
    }

    /// Seed 001's feedback route used to drop these fields: the store has columns for them.
    @Test("seed 001 feedback keeps question_text, answer_text, score and comment, and /v1/feedback shows them")
    func seedFeedbackFieldsAreStored() async throws {
        let server = try await TestServer.start()
        let recorded = try await server.request(
            "POST", "/api/v1/agent/messages/m-7/feedback",
            json: [
                "rating": "down", "edited_text": "Use 60/40.", "question_text": "What is my default benchmark?",
                "answer_text": "100% equities", "score": 2, "comment": "wrong benchmark",
            ])
        #expect(recorded.status == 201, "\(recorded.text)")
        let listed = try await server.request("GET", "/v1/feedback?message_id=m-7")
        let feedback = try #require((try listed.object()["feedback"] as? [[String: Any]])?.first, "\(listed.text)")
        #expect(feedback["question_text"] as? String == "What is my default benchmark?")
        #expect(feedback["answer_text"] as? String == "100% equities")
        #expect(feedback["score"] as? Int == 2)
        #expect(feedback["comment"] as? String == "wrong benchmark")
        #expect(feedback["rating"] as? String == "down")
        await server.stop()
    }

    /// `?user_id=` read as "no user" answered with the whole tenant's rows.
    @Test("an empty query parameter or a user_id with control characters is refused, not read as absent")
    func emptyAndUnprintableParameters() async throws {
        let server = try await TestServer.start()
        for path in ["/v1/conversations?user_id=", "/memory/search?query=lamp&user_id=%20", "/v1/conversations?limit="] {
            let reply = try await server.request("GET", path)
            #expect(reply.status == 400, "\(path) answered \(reply.status): \(reply.text)")
            #expect(reply.text.contains("is empty: give a value or leave it out"), "\(path): \(reply.text)")
        }
        let unprintable = try await server.request("GET", "/v1/conversations?user_id=a%07b")
        #expect(unprintable.status == 400, "\(unprintable.text)")
        #expect(unprintable.text.contains("user_id must be 1…255 bytes of printable text"), "\(unprintable.text)")
        await server.stop()
    }

    @Test("a query parameter given twice is refused rather than one of its values guessed")
    func repeatedQueryParameter() async throws {
        let server = try await TestServer.start()
        let reply = try await server.request("GET", "/v1/feedback?limit=1&limit=500")
        #expect(reply.status == 400, "\(reply.text)")
        #expect(reply.text.contains("limit is given more than once"), "\(reply.text)")
        await server.stop()
    }
}

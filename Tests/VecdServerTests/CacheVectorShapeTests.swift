import Foundation
import Testing
import Vecd
import VecdEmbed
import VecdServer

/// A cache lookup's vector is checked before any lookup: a vector of the wrong shape is refused even when the
/// query's text alone is an exact hit.
@Suite("cache lookup vector shape")
struct CacheVectorShapeTests {
    @Test("3, 0 or 100,000 components, or a vector before any is cached of another size than the embedder's: 400")
    func wrongDimensions() async throws {
        let server = try await TestServer.start()
        let dimension = try #require(server.store.embedder?.dimension)
        for count in [3, 0, 100_000] {
            // Before anything is cached the expected size is the embedder's.
            let early = try await server.request(
                "POST", "/v1/cache/lookup", json: ["query": "weather in Paris", "vector": [Float](repeating: 0.5, count: count)])
            #expect(early.status == 400, "\(count) before a put: \(early.text.prefix(200))")
            #expect(early.errorCode == "dimension_mismatch")
        }
        let put = try await server.request("POST", "/v1/cache", json: ["query": "weather in Paris", "response": "sunny"])
        #expect(put.status == 201)
        for count in [3, 0, 100_000] {
            let reply = try await server.request(
                "POST", "/v1/cache/lookup",
                json: ["query": "weather in Paris", "vector": [Float](repeating: 0.5, count: count)])
            #expect(reply.status == 400, "\(count) components: \(reply.text.prefix(200))")
            #expect(reply.errorCode == "dimension_mismatch")
        }
        let right = try await server.request(
            "POST", "/v1/cache/lookup",
            json: ["query": "weather in Paris", "vector": [Float](repeating: 0.5, count: dimension)])
        #expect(right.status == 200)
        await server.stop()
    }

    @Test("a put with a vector of 0 components is refused and creates nothing")
    func emptyVectorPut() async throws {
        let server = try await TestServer.start()
        let reply = try await server.request(
            "POST", "/v1/cache", json: ["query": "q", "response": "r", "model_id": "other-model", "vector": [Float]()])
        #expect(reply.status == 400)
        #expect(reply.errorCode == "dimension_mismatch")
        #expect(try server.store.cacheStats().entries == 0)
        await server.stop()
    }
}

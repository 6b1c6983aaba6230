import Foundation
import NIOCore
import Testing
import Vecd
import VecdEmbed

@testable import VecdServer

/// The search route over real HTTP with the hand-written body scanner and answer writer in place.
@Suite("/v1 search fast path")
struct SearchFastPathRouteTests {
    @Test("the answer over HTTP is byte for byte JSONEncoder's encoding of the store's result")
    func answerUnchanged() async throws {
        let server = try await V1SearchRouteTests.seededServer()
        let vector = (0..<HashingEmbedder.defaultDimension).map { Float($0 % 7) / 7 - 0.3 }
        let body = #"{"k": 3, "vector": [\#(vector.map(\.description).joined(separator: ","))]}"#
        let reply = try await server.request("POST", "/v1/collections/docs/search", rawBody: Data(body.utf8))
        #expect(reply.status == 200, "\(reply.text)")
        let result = try await server.store.searchChunks(
            .vector(vector), in: "docs", filter: DocumentFilter(), k: 3, minScore: nil, efSearch: nil)
        #expect(result.hits.count == 3)
        let expected = try JSONWire.encode(
            V1SearchRoutes.SearchResponse(
                mode: "vector", results: result.hits.map(HitWire.init),
                report: result.report.map(SearchReportWire.init)))
        #expect(reply.body == Data(expected.readableBytesView), "\(reply.text)")
        // The same request through the Codable path (an escaped key sends it there) gets the same bytes.
        let slowBody = body.replacingOccurrences(of: #"{"k""#, with: #"{"\u006b""#)
        let slow = try await server.request("POST", "/v1/collections/docs/search", rawBody: Data(slowBody.utf8))
        #expect(slow.status == 200 && slow.body == reply.body)
        await server.stop()
    }

    @Test("bodies the scanner declines get JSONDecoder's 400 message, unchanged")
    func errorsUnchanged() async throws {
        let server = try await V1SearchRouteTests.seededServer()
        let bodies = [
            #"{"vector":[1e39]}"#, #"{"vector":[1,"2"]}"#, #"{"k":"10","query":"x"}"#, #"{"vector":[1]"#,
            #"{"vector":[0.5, -Infinity]}"#,
        ]
        for body in bodies {
            let reply = try await server.request("POST", "/v1/collections/docs/search", rawBody: Data(body.utf8))
            var expected = ""
            do {
                _ = try JSONWire.decode(V1SearchRoutes.SearchRequest.self, from: ByteBuffer(string: body))
            } catch let error as APIError {
                expected = error.message
            }
            #expect(reply.status == 400)
            let message = (try reply.object()["error"] as? [String: Any])?["message"] as? String
            #expect(message == expected && !expected.isEmpty, "\(body): \(reply.text)")
        }
        await server.stop()
    }
}

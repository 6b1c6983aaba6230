import Foundation
import NIOCore
import Testing
import Vecd

@testable import VecdServer

/// The request-body parser takes RFC 8259 JSON and nothing else, and the decoder on top refuses members the request
/// type does not read.
struct StrictJSONTests {
    private struct Body: Decodable {
        struct Inner: Decodable { var name: String? }
        var tags: [String]?
        var count: Int?
        var score: Double?
        var vector: [Float]?
        var text: String?
        var inner: Inner?
        var metadata: [String: JSONValue]?
    }

    private func outcome(_ text: String) -> Result<Body, APIError> {
        do {
            return .success(try JSONWire.decode(Body.self, from: ByteBuffer(string: text)))
        } catch let error as APIError {
            return .failure(error)
        } catch {
            return .failure(APIError.badRequest("unexpected", "\(error)"))
        }
    }

    @Test(
        "malformed or ambiguous JSON is refused",
        arguments: [
            #"{"tags":["a"],}"#, #"{"tags":["a",]}"#, #"{"count":1}//c"#, #"/*c*/{"count":1}"#, #"{"score":NaN}"#,
            #"{"score":Infinity}"#, #"{"count":01}"#, #"{"score":.5}"#, #"{"score":+1}"#, #"{"score":1.}"#,
            #"{"count":1,"count":2}"#, #"{'text':"x"}"#, #"{text:"x"}"#, #"{"text":"\ud800"}"#,
            #"{"text":"\udc00\ud800"}"#, #"{"text":"\x"}"#, "{\"text\":\"a\u{01}b\"}", #"{"count":1} x"#,
            #"{"count":0x10}"#, #"{"count":1"#, #"{"text":"open}"#, "", " ", #"{"count":1}{}"#, #"{"tags":[,]}"#,
            #"{,}"#, #"{"inner":{"name":"x",}}"#, #"{"score":1e}"#, #"{"count":-}"#, #"{"flag":tru}"#,
        ])
    func refusesNonJSON(text: String) {
        guard case .failure(let error) = outcome(text) else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(error.code == "invalid_json", "\(text): \(error)")
    }

    @Test("escapes, surrogate pairs, UTF-8, whitespace and every number form of the grammar are read exactly")
    func readsStrictJSON() throws {
        let text = " \n{\"text\" : \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00 é\", \"count\":-0, "
            + "\"score\": -12.5e-3, \"vector\": [0, 1E2, 2.5e+1, -0.0], \"tags\": [], \"metadata\": {\"k\": [null, true, "
            + "{\"deep\": false}]}, \"inner\": {}}\t"
        let body = try outcome(text).get()
        #expect(body.text == "a\"b\\c/d\u{08}\u{0C}\n\r\té😀 é")
        #expect(body.count == 0)
        #expect(body.score == -12.5e-3)
        #expect(body.vector == [0, 100, 25, -0.0])
        #expect(body.tags == [])
        #expect(body.metadata == ["k": .array([.null, .bool(true), .object(["deep": .bool(false)])])])
    }

    @Test("a member no field reads is unknown_field, at any depth; metadata takes any member")
    func unknownMembers() {
        guard case .failure(let top) = outcome(#"{"count":1,"cuont":2}"#) else { Issue.record("accepted"); return }
        #expect(top.code == "unknown_field")
        #expect(top.message.hasPrefix("unknown field cuont (did you mean count?); the body takes count, inner, "))
        guard case .failure(let nested) = outcome(#"{"inner":{"nmae":"x"}}"#) else { Issue.record("accepted"); return }
        #expect(nested.message == "unknown field inner.nmae (did you mean name?); inner takes name")
        #expect((try? outcome(#"{"metadata":{"anything":{"goes":[1]}}}"#).get()) != nil)
    }

    @Test("wrong types name the field; integers written whole with a fraction or exponent still count")
    func types() {
        guard case .failure(let text) = outcome(#"{"text":5}"#) else { Issue.record("accepted"); return }
        #expect(text.message == "text must be a string")
        guard case .failure(let count) = outcome(#"{"count":1.5}"#) else { Issue.record("accepted"); return }
        #expect(count.message == "count must be an integer")
        guard case .failure(let element) = outcome(#"{"vector":[1,"2"]}"#) else { Issue.record("accepted"); return }
        #expect(element.message == "vector[1] must be a number")
        #expect((try? outcome(#"{"count":1e3}"#).get())?.count == 1_000)
        #expect((try? outcome(#"{"count":5.0}"#).get())?.count == 5)
    }

    @Test("nesting deeper than the limit is refused, not recursed into")
    func deepNesting() {
        let text = #"{"metadata":{"k":"# + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
            + "}}"
        guard case .failure(let error) = outcome(text) else { Issue.record("accepted"); return }
        #expect(error.message.contains("nesting deeper than"))
    }
}

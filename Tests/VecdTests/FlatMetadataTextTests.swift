import Foundation
import Testing

@testable import Vecd

/// The flat-metadata reader against JSONDecoder: the same metadata, or a fall-back.
@Suite("flat metadata text")
struct FlatMetadataTextTests {
    static func decoded(_ text: String) -> Metadata? {
        guard case .object(let members) = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
            return nil
        }
        return members
    }

    /// Equality that also tells -0 from 0.
    static func same(_ a: Metadata, _ b: Metadata) -> Bool {
        a == b && a.keys.allSatisfy { key in
            if case .number(let x) = a[key], case .number(let y) = b[key] { return x.bitPattern == y.bitPattern }
            return true
        }
    }

    @Test("flat objects as the store writes them read as JSONDecoder reads them")
    func flatObjects() {
        let texts = [
            "{}", #"{"start_char":0,"end_char":5}"#, #"{"a":-12,"b":"x y/z é 😀","c":true,"d":false,"e":null}"#,
            #"{"n":999999999999999,"m":-999999999999999,"o":1,"z":0}"#, #"{"":""}"#,
        ]
        for text in texts {
            let flat = FlatMetadataText.parse(text)
            #expect(flat != nil, "\(text) fell back")
            if let flat, let expected = Self.decoded(text) { #expect(Self.same(flat, expected), "\(text)") }
            #expect(Metadata.parse(text) == Self.decoded(text))
        }
    }

    @Test("generated flat objects match JSONDecoder")
    func generated() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            var members: [String] = []
            for index in 0..<Int.random(in: 0...6, using: &generator) {
                let value: String
                switch Int.random(in: 0..<5, using: &generator) {
                case 0: value = String(Int.random(in: -999_999_999_999_999...999_999_999_999_999, using: &generator))
                case 1: value = "\"v\(Int.random(in: 0...1000, using: &generator)) ü\""
                case 2: value = Bool.random(using: &generator) ? "true" : "false"
                case 3: value = "null"
                default: value = String(Int.random(in: -9...9, using: &generator))
                }
                members.append("\"k\(index)\":\(value)")
            }
            let text = "{" + members.joined(separator: ",") + "}"
            let flat = FlatMetadataText.parse(text)
            let expected = Self.decoded(text)
            #expect(flat != nil && expected != nil && Self.same(flat!, expected!), "\(text)")
        }
    }

    @Test("anything else falls back to JSONDecoder")
    func fallBacks() {
        let texts = [
            #"{"a":1.5}"#, #"{"a":1e3}"#, #"{"a":-0}"#, #"{"a":01}"#, #"{"a":1234567890123456}"#, #"{"a":[1]}"#,
            #"{"a":{"b":1}}"#, #"{"a":"q\"q"}"#, #"{"a\u0041":1}"#, #"{ "a":1}"#, #"{"a":1,"a":2}"#, #"{"a":1,}"#,
            #"{"a":tru}"#, #"{"a":1}x"#, #"{"a"}"#, "[]", "", "{", #"{"a":-}"#,
        ]
        for text in texts {
            #expect(FlatMetadataText.parse(text) == nil, "\(text) was read")
            #expect(Metadata.parse(text) == (Self.decoded(text) ?? [:]), "\(text)")
        }
    }
}

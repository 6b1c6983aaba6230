import Foundation
import NIOCore
import Testing
import VecdBench

@testable import VecdServer

/// The fast search-body scanner against `JSONDecoder`: same request or a fall-back, never a different answer.
@Suite("search body scanner")
struct SearchRequestScannerTests {
    /// The Codable path's outcome: the request, or the exact 400 message a client would get.
    static func codable(_ body: String) -> Result<V1SearchRoutes.SearchRequest, APIError> {
        do {
            return .success(try JSONWire.decode(V1SearchRoutes.SearchRequest.self, from: ByteBuffer(string: body)))
        } catch let error as APIError {
            return .failure(error)
        } catch {
            Issue.record("unexpected error \(error)")
            return .failure(APIError.badRequest("unexpected", "\(error)"))
        }
    }

    static func fast(_ body: String) -> V1SearchRoutes.SearchRequest? {
        SearchRequestScanner.scan(ByteBuffer(string: body))
    }

    /// Field-by-field equality, floats compared bit for bit (so -0 and 0 differ).
    static func same(_ a: V1SearchRoutes.SearchRequest, _ b: V1SearchRoutes.SearchRequest) -> Bool {
        a.mode == b.mode && a.query == b.query && a.k == b.k && a.efSearch == b.efSearch
            && a.minScore?.bitPattern == b.minScore?.bitPattern && a.filter == nil && b.filter == nil
            && a.weights == nil && b.weights == nil && a.vector?.map(\.bitPattern) == b.vector?.map(\.bitPattern)
    }

    /// The scanner either agrees with JSONDecoder or declines; returns whether it took the body.
    @discardableResult
    static func check(_ body: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let fast = fast(body) else { return false }
        switch codable(body) {
        case .success(let slow):
            #expect(same(fast, slow), "fast path differs on \(body)", sourceLocation: sourceLocation)
        case .failure(let error):
            Issue.record("fast path accepted \(body), JSONDecoder refused it: \(error)", sourceLocation: sourceLocation)
        }
        return true
    }

    @Test("the bodies clients send take the fast path and decode as JSONDecoder does")
    func typicalBodies() {
        let bodies = [
            #"{"vector":[0.1,-0.25,3e-5,1E2,0,-0,7],"k":10}"#,
            #"{"k": 5, "vector": [ 0.012345678918063641 , -0.5 ], "ef_search": 100}"#,
            "{\n\t\"query\": \"portfolio volatility — résumé 😀\",\r\n \"mode\": \"vector\", \"min_score\": 0.25 }  \n",
            #"{"mode":"hybrid","query":"a/b","k":3}"#,
            #"{"mode":"text","query":"","vector":null,"k":null,"ef_search":null,"min_score":-1.5e-3}"#,
            #"{"vector":[]}"#,
            "{}",
            " {} ",
        ]
        for body in bodies { #expect(Self.check(body), "fell back on \(body)") }
    }

    @Test("generated bodies in any key order and spacing decode exactly as JSONDecoder does")
    func generatedBodies() {
        var generator = SeededGenerator(seed: 42)
        let spaces = ["", " ", "\n", "\t", "\r\n  "]
        for round in 0..<400 {
            func space() -> String { spaces.randomElement(using: &generator)! }
            var members: [String] = []
            let dimension = Int.random(in: 0...48, using: &generator)
            let numbers = (0..<dimension).map { _ in FloatTextGenerator.clientText(using: &generator) }
            let separator = space() + "," + space()
            members.append(#""vector":"# + space() + "[" + numbers.joined(separator: separator) + "]")
            if Bool.random(using: &generator) {
                members.append(#""k":\#(Int.random(in: -3...2000, using: &generator))"#)
            }
            if Bool.random(using: &generator) {
                members.append(#""ef_search":\#(Int.random(in: 0...900, using: &generator))"#)
            }
            if Bool.random(using: &generator) {
                members.append(#""min_score":\#(FloatTextGenerator.clientText(using: &generator))"#)
            }
            if Bool.random(using: &generator) {
                members.append(#""mode":"\#(["vector", "text", "hybrid"][round % 3])""#)
            }
            if Bool.random(using: &generator) { members.append(#""query":"words ünïcode \#(round)""#) }
            members.shuffle(using: &generator)
            let body = "{" + space() + members.joined(separator: space() + "," + space()) + space() + "}" + space()
            #expect(Self.check(body), "fell back on \(body)")
        }
    }

    @Test("anything the scanner does not read exactly falls back, so errors stay those of JSONDecoder")
    func fallBacks() {
        let declined = [
            #"{"vector":[1],"filter":{"scopes":["a"]}}"#,
            #"{"query":"x","mode":"hybrid","weights":{"text":2}}"#,
            #"{"vector":[1],"unknown":true}"#,
            #"{"k":1,"k":2}"#,
            #"{"query":"tab\tescaped"}"#,
            #"{"query":"quote \" inside"}"#,
            #"{"query":"\u00e9"}"#,
            "{\"query\":\"raw\u{1}control\"}",
            #"{"mo\u0064e":"text"}"#,
            #"{"vector":[NaN]}"#,
            #"{"vector":[Infinity]}"#,
            #"{"vector":[-Infinity]}"#,
            #"{"vector":[1e39]}"#,
            #"{"vector":[-3.5e38]}"#,
            #"{"vector":[1e-50]}"#,
            #"{"vector":[01]}"#,
            #"{"vector":[1.]}"#,
            #"{"vector":[.5]}"#,
            #"{"vector":[+1]}"#,
            #"{"vector":[1e]}"#,
            #"{"vector":[1,]}"#,
            #"{"vector":[1 2]}"#,
            #"{"vector":[null]}"#,
            #"{"vector":[[1]]}"#,
            #"{"vector":["1"]}"#,
            #"{"vector":1}"#,
            #"{"k":1e1}"#,
            #"{"k":10.0}"#,
            #"{"k":"10"}"#,
            #"{"k":99999999999999999999}"#,
            #"{"min_score":1e400}"#,
            #"{"mode":"VECTOR"}"#,
            #"{"mode":null,"mode":"text"}"#,
            #"{"k":1}x"#,
            #"{"k":1}}"#,
            #"{"k":1"#,
            #"{"k":1,}"#,
            #"{k:1}"#,
            "[1,2]",
            "\u{FEFF}{\"k\":1}",
            "nul",
            #"{"vector":[1],"k":nul}"#,
        ]
        for body in declined {
            #expect(!Self.check(body), "fast path took \(body)")
        }
        // Invalid UTF-8 inside a string.
        var bytes = ByteBuffer(string: #"{"query":""#)
        bytes.writeBytes([0xC3, 0x28])
        bytes.writeString(#""}"#)
        #expect(SearchRequestScanner.scan(bytes) == nil)
    }

    @Test("numbers at the edges of Float decode as JSONDecoder does or fall back")
    func edgeNumbers() {
        let texts = [
            "0", "-0", "0.0", "-0.0", "0e5", "-0E-5", "1", "-1", "1e0", "1E+0", "1e-0", "3.4028235e38", "3.4028236e38",
            "3.40282356e38", "-3.4028234663852886e38", "1.17549435e-38", "1.1754942e-38", "1e-40", "1.4e-45", "7e-46",
            "1e-45", "2e-45", "1e-46", "123456789012345678901234567890", "0.1234567890123456789012345", "1e22", "1e23",
            "1e-22", "1e-23", "9007199254740993", "16777217", "16777216.5", "0.3333333333333333333",
            "1.00000005960464477539062500", "1.0000000596046448", "1.00000017881393432617187499",
            "1.00000017881393432617187501", "33554431", "33554433", "0.000001", "-0.0000001", "1e+38", "1e38",
        ]
        for text in texts {
            let body = #"{"vector":[\#(text)]}"#
            if let fast = Self.fast(body) {
                let slow = try? Self.codable(body).get()
                #expect(fast.vector?.map(\.bitPattern) == slow?.vector?.map(\.bitPattern), "\(text)")
            }
        }
        #expect(Self.check(#"{"vector":[-0]}"#))
        #expect(Self.fast(#"{"vector":[-0]}"#)?.vector?.first?.sign == .minus)
    }

    @Test("number conversion rounds exactly like strtof over random and near-tie decimals")
    func floatRoundingMatchesStrtof() {
        var generator = SeededGenerator(seed: 7)
        var fastCount = 0
        for _ in 0..<60_000 {
            let text = FloatTextGenerator.text(using: &generator)
            guard let expected = Float(text) else { continue }
            let scanned = FloatTextGenerator.scan(text)
            let mantissaIsZero = text.prefix { $0 != "e" && $0 != "E" }.allSatisfy { "-0.".contains($0) }
            if mantissaIsZero {
                // A zero with an exponent is left to JSONDecoder, which refuses some of them.
                if let scanned { #expect(scanned.bitPattern == expected.bitPattern, "\(text)") }
            } else if expected.isFinite && expected != 0 {
                #expect(scanned?.bitPattern == expected.bitPattern, "\(text)")
            } else {
                #expect(scanned == nil, "\(text) should be refused")
            }
            if scanned != nil { fastCount += 1 }
        }
        #expect(fastCount > 50_000)
    }

    @Test("near-tie and random decimals decode to the Float JSONDecoder gives")
    func floatRoundingMatchesJSONDecoder() throws {
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<3_000 {
            let text = FloatTextGenerator.text(using: &generator)
            let slow = try? JSONDecoder().decode([Float].self, from: Data("[\(text)]".utf8)).first
            let fast = FloatTextGenerator.scan(text)
            if let fast { #expect(fast.bitPattern == slow?.bitPattern, "\(text)") }
        }
    }
}

/// Decimal texts for Float parsing: Float and Double descriptions, long digit strings, exponents of every size, and
/// numbers a hair either side of the midpoint between two Floats (where rounding twice goes wrong).
enum FloatTextGenerator {
    /// Numbers as clients print embeddings: every one finite and non-zero or exactly zero, as Float.
    static func clientText(using generator: inout SeededGenerator) -> String {
        let value = Float.random(in: -1...1, using: &generator)
        switch Int.random(in: 0..<5, using: &generator) {
        case 0: return value.description
        case 1: return Double(value).description
        case 2: return String(format: "%.\(Int.random(in: 1...9, using: &generator))e", Double(value) * 1e-3)
        case 3: return String(format: "%.\(Int.random(in: 0...12, using: &generator))f", Double(value) * 100)
        default: return String(Int.random(in: -5...5, using: &generator))
        }
    }

    static func text(using generator: inout SeededGenerator) -> String {
        switch Int.random(in: 0..<7, using: &generator) {
        case 0:
            return Float.random(in: -1...1, using: &generator).description
        case 1:
            // What Python's json prints for a float32 it holds as a double.
            return Double(Float.random(in: -1...1, using: &generator)).description
        case 2:
            let bits = UInt32.random(in: 0...UInt32.max, using: &generator)
            let value = Float(bitPattern: bits)
            return value.isFinite ? Double(value).description : "1"
        case 3:
            let digits = (0..<Int.random(in: 1...25, using: &generator)).map { _ in
                String(Int.random(in: 0...9, using: &generator))
            }.joined()
            let exponent = Int.random(in: -50...40, using: &generator)
            let sign = Bool.random(using: &generator) ? "-" : ""
            let trimmed = digits.drop { $0 == "0" }
            return sign + "0." + (trimmed.isEmpty ? "0" : trimmed) + "e\(exponent)"
        case 4, 5:
            // A midpoint between two neighbouring Floats, exactly or one Double step either side.
            let low = Float.random(in: 1e-30...1e30, using: &generator)
            var nudged = (Double(low) + Double(low.nextUp)) / 2
            let steps = Int.random(in: -12...12, using: &generator)
            for _ in 0..<abs(steps) { nudged = steps > 0 ? nudged.nextUp : nudged.nextDown }
            // 16 to 19 significant digits (within the scanner's 19) or the exact value (beyond them).
            let digits = Int.random(in: 15...19, using: &generator)
            return digits == 19 ? exactDecimal(nudged) : String(format: "%.\(digits)e", nudged)
        default:
            let value = Double.random(in: -1000...1000, using: &generator)
            return String(format: "%.\(Int.random(in: 0...12, using: &generator))f", value)
        }
    }

    /// A Double's exact decimal value (every binary fraction has a finite decimal form), in `%.Ne` notation.
    static func exactDecimal(_ value: Double) -> String { String(format: "%.60e", value) }

    static func scan(_ text: String) -> Float? {
        Array(text.utf8).withUnsafeBytes { raw in
            var scanner = JSONByteScanner(raw)
            guard let decimal = scanner.number(), scanner.isAtEnd else { return nil }
            return decimal.floatValue
        }
    }
}

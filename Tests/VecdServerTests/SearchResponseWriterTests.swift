import Foundation
import NIOCore
import Testing

@testable import Vecd
import VecdBench
import VecdIndex
@testable import VecdServer

/// The hand-written search answer against JSONEncoder: the same bytes for every hit, string and metadata value.
@Suite("search answer writer")
struct SearchResponseWriterTests {
    /// Characters JSON treats specially, plus multi-byte, combining and separator characters and slashes.
    static let alphabet: [Character] =
        Array("aZ09 _-/\\\"'{}[]:,é😀\u{301}\u{2028}\u{2029}\u{7F}\u{FEFF}") + (0..<0x20).map { Character(Unicode.Scalar($0)!) }

    static func text(using generator: inout SeededGenerator, maxLength: Int = 12) -> String {
        String((0..<Int.random(in: 0...maxLength, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
    }

    static func number(using generator: inout SeededGenerator) -> Double {
        switch Int.random(in: 0..<6, using: &generator) {
        case 0: return Double(Int.random(in: -1_000_000...1_000_000, using: &generator))
        case 1: return Double.random(in: -1...1, using: &generator)
        case 2:
            let value = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator))
            return value.isFinite ? value : 0.5
        case 3: return [0, -0.0, 1e16, 1e15, 1e-5, 1e-7, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1].randomElement(using: &generator)!
        case 4: return Double(Float.random(in: -1...1, using: &generator))
        default: return Double.random(in: -1e25...1e25, using: &generator)
        }
    }

    static func value(using generator: inout SeededGenerator, depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0..<(depth < 3 ? 6 : 4), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .number(number(using: &generator))
        case 3: return .string(text(using: &generator))
        case 4: return .array((0..<Int.random(in: 0...3, using: &generator)).map { _ in value(using: &generator, depth: depth + 1) })
        default: return .object(metadata(using: &generator, depth: depth + 1))
        }
    }

    /// Keys with mixed case, digits, underscores and non-ASCII, where byte, numeric and case-insensitive orders differ.
    static func metadata(using generator: inout SeededGenerator, depth: Int = 0) -> Metadata {
        let keys = ["a", "B", "a10", "a9", "_x", "Z", "é", "e\u{301}x", "f", "😀", "ab", "a_b", "A", "10", "9", ""]
        var members: Metadata = [:]
        for _ in 0..<Int.random(in: 0...5, using: &generator) {
            let key = Bool.random(using: &generator) ? keys.randomElement(using: &generator)! : text(using: &generator, maxLength: 4)
            members[key] = value(using: &generator, depth: depth)
        }
        return members
    }

    static func hit(using generator: inout SeededGenerator) -> HitWire {
        let chunk = Chunk(
            id: Int64.random(in: Int64.min...Int64.max, using: &generator), documentID: text(using: &generator),
            index: Int.random(in: 0...1000, using: &generator), content: text(using: &generator, maxLength: 200),
            startOffset: Int.random(in: 0...100_000, using: &generator), endOffset: Int.random(in: 0...100_000, using: &generator),
            metadata: [:])
        let document = DocumentSummary(
            id: chunk.documentID, title: text(using: &generator), scope: text(using: &generator),
            isGlobal: Bool.random(using: &generator), userID: Bool.random(using: &generator) ? text(using: &generator) : nil,
            documentType: DocumentType.allCases.randomElement(using: &generator)!, metadata: metadata(using: &generator),
            createdAt: Date(timeIntervalSince1970: Double.random(in: 0...2e9, using: &generator)))
        return HitWire(
            ChunkHit(
                chunk: chunk, document: document, score: number(using: &generator),
                vectorScore: Bool.random(using: &generator) ? number(using: &generator) : nil,
                textScore: Bool.random(using: &generator) ? number(using: &generator) : nil))
    }

    static func report(using generator: inout SeededGenerator) -> SearchReportWire? {
        guard Bool.random(using: &generator) else { return nil }
        return SearchReportWire(
            SearchReport(
                plan: [.graph, .filteredGraph, .exactScan].randomElement(using: &generator)!,
                distanceCount: Int.random(in: 0...100_000, using: &generator), hopCount: Int.random(in: 0...500, using: &generator),
                matchingCount: Bool.random(using: &generator) ? Int.random(in: 0...50_000, using: &generator) : nil,
                isComplete: Bool.random(using: &generator), isExhaustive: Bool.random(using: &generator),
                fellBackToExactScan: Bool.random(using: &generator)))
    }

    /// The text around the first byte where two encodings part.
    static func firstDifference(_ a: ByteBuffer, _ b: ByteBuffer) -> String {
        let x = Array(a.readableBytesView)
        let y = Array(b.readableBytesView)
        let index = x.indices.first { $0 >= y.count || x[$0] != y[$0] } ?? x.count
        func around(_ bytes: [UInt8]) -> String {
            bytes[max(0, index - 30)..<min(bytes.count, index + 20)].map { String($0, radix: 16) }.joined(separator: " ")
        }
        return "at byte \(index):\n\(around(x))\nexpected\n\(around(y))"
    }

    @Test("generated answers encode to the bytes JSONEncoder gives")
    func byteEquality() throws {
        var generator = SeededGenerator(seed: 2026)
        for _ in 0..<400 {
            let response = V1SearchRoutes.SearchResponse(
                mode: ["vector", "text", "hybrid"].randomElement(using: &generator)!,
                results: (0..<Int.random(in: 0...6, using: &generator)).map { _ in Self.hit(using: &generator) },
                report: Self.report(using: &generator))
            let expected = try JSONWire.encode(response)
            let written = try #require(SearchResponseWriter.encode(response))
            #expect(written == expected, "\(Self.firstDifference(written, expected))")
        }
    }

    @Test("every JSON metadata type and every special character encodes as JSONEncoder does")
    func metadataValues() throws {
        let strings = ["", "/", "a/b\\c\"d", "\u{0}\u{1}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{1F}\u{7F}", "\u{2028}é😀e\u{301}"]
        var metadata: Metadata = ["null": .null, "true": .bool(true), "false": .bool(false), "nested": .array([])]
        for (index, text) in strings.enumerated() {
            metadata["s\(index)"] = .string(text)
            metadata[text] = .object([text: .array([.string(text), .number(Double(index) / 3)])])
        }
        for number in [0.0, -0.0, 1, -1, 1e16, 1e15, 1e-5, 1e-7, 123.456, .leastNonzeroMagnitude, 1.7976931348623157e308, 1e21] {
            metadata["n\(number)"] = .number(number)
        }
        var writer = JSONByteWriter(capacity: 64)
        writer.object(metadata)
        #expect(writer.buffer == (try JSONWire.encode(metadata)), "\(String(buffer: writer.buffer))")
    }

    @Test("a non-finite score leaves the answer to JSONEncoder, which refuses it as before")
    func nonFiniteScore() {
        var generator = SeededGenerator(seed: 5)
        var hit = Self.hit(using: &generator)
        hit.score = .nan
        let response = V1SearchRoutes.SearchResponse(mode: "vector", results: [hit], report: nil)
        #expect(SearchResponseWriter.encode(response) == nil)
        #expect(throws: EncodingError.self) { try JSONWire.encode(response) }
    }
}

import Foundation
import Testing

@testable import VecdPostgres

/// The encoders and parsers that need no server: they run even where PostgreSQL is not available.
@Suite("PostgreSQL wire formats")
struct PostgresWireFormatTests {
    @Test(
        "ISO timestamps parse with fractions and offsets",
        arguments: [
            ("2000-01-01 00:00:00+00", 946_684_800.0),
            ("2026-01-02 03:04:05.5+05:30", 1_767_303_245.5),
            ("1969-12-31 23:59:59.999999-00:00:30", 30.0 - 0.000_001),
            ("1900-03-01 00:00:00", -2_203_891_200.0),
        ])
    func timestamps(text: String, unixSeconds: Double) throws {
        let date = try #require(PostgresTimestampText.parse(text))
        #expect(abs(date.timeIntervalSince1970 - unixSeconds) < 1e-6)
    }

    @Test(
        "infinite and malformed timestamps",
        arguments: ["infinity", "-infinity", "2026-13-01 00:00:00+00", "x", "0044-03-15 12:00:00+00 BC"])
    func specialTimestamps(text: String) {
        let date = PostgresTimestampText.parse(text)
        switch text {
        case "infinity": #expect(date == .distantFuture)
        case "-infinity": #expect(date == .distantPast)
        default: #expect(date == nil)
        }
    }

    @Test("a vector's binary form is dimension, zero, then big-endian floats, and decodes back bit-exact")
    func vectorBinary() throws {
        var bytes: [UInt8] = []
        let values: [Float] = [1, -0.0, .leastNonzeroMagnitude]
        PostgresBinary.appendVector(values, to: &bytes)
        #expect(Array(bytes.prefix(8)) == [0, 3, 0, 0, 0x3F, 0x80, 0, 0])
        let back = try #require(bytes.withUnsafeBytes { PostgresBinary.decodeVector($0) })
        #expect(back.map(\.bitPattern) == values.map(\.bitPattern))
        #expect([UInt8]([0, 2, 0, 0, 1]).withUnsafeBytes { PostgresBinary.decodeVector($0) } == nil)
    }

    @Test("microsecond timestamps round-trip through the binary form")
    func timestampBinary() {
        for seconds in [-2_000_000_000.000_001, 0, 946_684_800, 1_795_000_000.123_456] {
            let date = Date(timeIntervalSince1970: seconds)
            let back = PostgresBinary.date(microseconds: PostgresBinary.timestampMicroseconds(date))
            #expect(abs(back.timeIntervalSince(date)) < 5e-7)
        }
    }

    @Test("text vectors and hex bytea parse; garbage does not")
    func textForms() {
        #expect(PostgresResult.parseVectorText("[1,2.5,-3e-5]") == [1, 2.5, -3e-5])
        #expect(PostgresResult.parseVectorText("[1,,2]") == nil)
        #expect(PostgresResult.parseVectorText("1,2") == nil)
        #expect(PostgresResult.parseHexBytea("\\x00ff0A") == [0, 255, 10])
        #expect(PostgresResult.parseHexBytea("\\x0") == nil)
    }
}

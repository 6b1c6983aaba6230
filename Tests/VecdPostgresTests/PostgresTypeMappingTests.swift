import Foundation
import Testing
import VecdPostgres

@Suite("PostgreSQL type mapping", .enabled(if: TestPostgres.shouldRun, TestPostgres.skipReason))
struct PostgresTypeMappingTests {
    static let columns = """
        id bigint, key uuid, body text, meta jsonb, created timestamptz, embedding vector(4), \
        score double precision, ratio real, flag boolean, blob bytea, small int
        """
    static let insert = "INSERT INTO %@ VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"

    struct Row {
        var id: Int64
        var key: UUID
        var body: String
        var meta: String
        var created: Date
        var embedding: [Float]
        var score: Double
        var ratio: Float
        var flag: Bool
        var blob: [UInt8]
        var small: Int32

        var parameters: [PostgresParameter] {
            [
                .int64(id), .uuid(key), .text(body), .jsonb(meta), .timestamptz(created), .vector(embedding),
                .double(score), .float(ratio), .bool(flag), .bytea(blob), .int32(small),
            ]
        }
    }

    // Values at the edges: -0.0, a subnormal and a huge float; microseconds before and after 2000-01-01; a byte 0 in bytea.
    static let sample = Row(
        id: Int64.min + 1, key: UUID(uuidString: "0189A3B4-C5D6-7E8F-9012-3456789ABCDE")!, body: "plain",
        meta: #"{"b": [1, 2.5, null], "a": "x"}"#,
        created: Date(timeIntervalSince1970: 1_795_000_000.123456),
        embedding: [-0.0, Float(bitPattern: 0x0001_1170), 3.4e38, 0.1],
        score: 0.1 + 0.2, ratio: .leastNormalMagnitude, flag: true, blob: [0, 255, 10, 92], small: -7)

    @Test(
        "every mapped type round-trips exactly, in text and binary results",
        arguments: [
            PostgresParameter.Format.text, .binary,
        ])
    func roundTrip(format: PostgresParameter.Format) throws {
        try TestPostgres.withTable("types", columns: Self.columns) { connection, table in
            let row = Self.sample
            try connection.query(String(format: Self.insert, table), row.parameters)
            let result = try connection.query("SELECT * FROM \(table)", resultFormat: format)
            #expect(result.rowCount == 1)
            #expect(try result.int64(row: 0, column: 0) == row.id)
            #expect(try result.uuid(row: 0, column: 1) == row.key)
            #expect(try result.string(row: 0, column: 2) == row.body)
            // jsonb stores keys sorted by length then bytes, and normalizes spacing.
            #expect(try result.json(row: 0, column: 3) == #"{"a": "x", "b": [1, 2.5, null]}"#)
            #expect(try result.date(row: 0, column: 4) == row.created)
            let embedding = try #require(try result.vector(row: 0, column: 5))
            #expect(embedding.map(\.bitPattern) == row.embedding.map(\.bitPattern))
            #expect(try result.double(row: 0, column: 6)?.bitPattern == row.score.bitPattern)
            #expect(try result.double(row: 0, column: 7).map(Float.init)?.bitPattern == row.ratio.bitPattern)
            #expect(try result.bool(row: 0, column: 8) == row.flag)
            #expect(try result.bytea(row: 0, column: 9) == row.blob)
            #expect(try result.int(row: 0, column: 10) == Int(row.small))
            #expect(result.columnType(1) == .uuid)
            #expect(result.columnFormat(0) == format)
        }
    }

    @Test("NULL in every column reads back as nil", arguments: [PostgresParameter.Format.text, .binary])
    func nulls(format: PostgresParameter.Format) throws {
        try TestPostgres.withTable("nulls", columns: Self.columns) { connection, table in
            try connection.query(
                String(format: Self.insert, table), Array(repeating: PostgresParameter.null, count: 11))
            let result = try connection.query("SELECT * FROM \(table)", resultFormat: format)
            for column in 0..<result.columnCount { #expect(result.isNull(row: 0, column: column)) }
            #expect(try result.int64(row: 0, column: 0) == nil)
            #expect(try result.uuid(row: 0, column: 1) == nil)
            #expect(try result.string(row: 0, column: 2) == nil)
            #expect(try result.json(row: 0, column: 3) == nil)
            #expect(try result.date(row: 0, column: 4) == nil)
            #expect(try result.vector(row: 0, column: 5) == nil)
            #expect(try result.bool(row: 0, column: 8) == nil)
            #expect(result.bytes(row: 0, column: 9) == nil)
        }
    }

    @Test("timestamps keep microseconds before 2000, after 2038, and at ±infinity")
    func timestamps() throws {
        let connection = try TestPostgres.connect()
        let dates = [
            Date(timeIntervalSince1970: -1_000_000_000.654321), Date(timeIntervalSince1970: 946_684_799.999999),
            Date(timeIntervalSince1970: 4_102_444_800.000001), Date.distantFuture, Date.distantPast,
        ]
        for date in dates {
            for format in [PostgresParameter.Format.text, .binary] {
                let result = try connection.query("SELECT $1::timestamptz", [.timestamptz(date)], resultFormat: format)
                let back = try #require(try result.date(row: 0, column: 0))
                #expect(abs(back.timeIntervalSince(date)) < 5e-7, "\(date) came back as \(back) (\(format))")
            }
        }
        let offset = try connection.query("SELECT '2026-01-02 03:04:05.5+05:30'::timestamptz::text")
        #expect(try offset.string(row: 0, column: 0) == "2026-01-01 21:34:05.5+00")
    }

    @Test("text literals bind to any type the statement implies")
    func textLiterals() throws {
        let connection = try TestPostgres.connect()
        let result = try connection.query(
            "SELECT $1::timestamptz, $2::vector, $3::uuid, $4::jsonb",
            [
                .text("2026-01-02 03:04:05+00"), .text("[1, 2.5, -3]"), .text("0189a3b4-c5d6-7e8f-9012-3456789abcde"),
                .text(#"{"k": 1}"#),
            ],
            resultFormat: .binary)
        #expect(try result.date(row: 0, column: 0) == Date(timeIntervalSince1970: 1_767_323_045))
        #expect(try result.vector(row: 0, column: 1) == [1, 2.5, -3])
        #expect(try result.uuid(row: 0, column: 2)?.uuidString == "0189A3B4-C5D6-7E8F-9012-3456789ABCDE")
        #expect(try result.json(row: 0, column: 3) == #"{"k": 1}"#)
    }

    @Test("arrays bind for = ANY($1)")
    func arrays() throws {
        let connection = try TestPostgres.connect()
        let ints = try connection.query(
            "SELECT x FROM generate_series(1, 10) AS x WHERE x = ANY($1) ORDER BY x", [.int64Array([2, 5, 11])])
        #expect(try (0..<ints.rowCount).map { try ints.int(row: $0, column: 0) } == [2, 5])
        let texts = try connection.query(
            "SELECT array_length($1::text[], 1), ($1::text[])[2] IS NULL", [.textArray(["a\tb", nil, "ü"])])
        #expect(try texts.int(row: 0, column: 0) == 3)
        #expect(try texts.bool(row: 0, column: 1) == true)
        let empty = try connection.query("SELECT cardinality($1::bigint[])", [.int64Array([])])
        #expect(try empty.int(row: 0, column: 0) == 0)
    }

    @Test("reading a value as the wrong type is a decoding error naming row, column and value")
    func decodingError() throws {
        let connection = try TestPostgres.connect()
        let result = try connection.query("SELECT 'not a number'::text AS word, 'abc'::text AS vec")
        let error = try #require(throws: PostgresError.self) { try result.int64(row: 0, column: 0) }
        #expect(error.code == .decoding)
        #expect(error.message.contains("\"word\""))
        #expect(error.message.contains("not a number"))
        #expect(throws: PostgresError.self) { try result.vector(row: 0, column: 1) }
        let binary = try connection.query("SELECT 1::int", resultFormat: .binary)
        #expect(throws: PostgresError.self) { try binary.uuid(row: 0, column: 0) }
    }

    @Test(
        "invalid vectors are refused before sending",
        arguments: [
            [Float](), [1, .nan], [Float.infinity], [Float](repeating: 1, count: 16_001),
        ])
    func invalidVector(values: [Float]) throws {
        let connection = try TestPostgres.connect()
        let error = try #require(throws: PostgresError.self) {
            try connection.query("SELECT $1::vector", [.vector(values)])
        }
        #expect(error.code == .invalidParameter)
        #expect(error.message.hasPrefix("parameter $1"))
    }

    @Test("a dimension mismatch is the server's clear error")
    func dimensionMismatch() throws {
        try TestPostgres.withTable("dims", columns: "embedding vector(3)") { connection, table in
            let error = try #require(throws: PostgresError.self) {
                try connection.query("INSERT INTO \(table) VALUES ($1)", [.vector([1, 2])])
            }
            #expect(error.code == .server)
            #expect(error.message.contains("expected 3 dimensions, not 2"))
        }
    }
}

import Foundation
import Testing
import VecdPostgres

@Suite("PostgreSQL COPY", .enabled(if: TestPostgres.shouldRun, TestPostgres.skipReason))
struct PostgresCopyTests {
    static let rowCount = 100_000
    static let dimension = 8

    /// A deterministic vector per row with awkward bit patterns (negative zero, tiny and large values).
    static func vector(_ row: Int) -> [Float] {
        (0..<dimension).map { index in
            switch (row + index) % 5 {
            case 0: return -0.0
            case 1: return Float(row) * 1e-30
            case 2: return Float(bitPattern: UInt32(truncatingIfNeeded: row &* 2_654_435_761) & 0x7E7F_FFFF)
            default: return Float(index) - Float(row % 97) / 7
            }
        }
    }

    @Test("100k rows with vectors load through binary COPY, bit-exact")
    func binaryCopy() throws {
        try TestPostgres.withTable(
            "copybin", columns: "id bigint, key uuid, body text, embedding vector(\(Self.dimension))"
        ) { connection, table in
            let stored = try connection.copyBinary(
                "COPY \(table) (id, key, body, embedding) FROM STDIN (FORMAT binary)"
            ) { writer in
                for row in 0..<Self.rowCount {
                    try writer.beginRow(fieldCount: 4)
                    try writer.appendInt64(Int64(row))
                    if row % 10 == 0 { try writer.appendNull() } else { try writer.appendUUID(UUID()) }
                    try writer.appendText("row \(row)\twith tab")
                    try writer.appendVector(Self.vector(row))
                }
                #expect(writer.rowCount == Self.rowCount)
            }
            #expect(stored == Self.rowCount)
            let summary = try connection.query(
                "SELECT count(*), sum(id), count(key), count(DISTINCT key) FROM \(table)")
            #expect(try summary.int(row: 0, column: 0) == Self.rowCount)
            #expect(try summary.int(row: 0, column: 1) == Self.rowCount * (Self.rowCount - 1) / 2)
            #expect(try summary.int(row: 0, column: 2) == Self.rowCount - Self.rowCount / 10)
            #expect(try summary.int(row: 0, column: 3) == Self.rowCount - Self.rowCount / 10)
            let samples = try connection.query(
                "SELECT id, embedding, body FROM \(table) WHERE id = ANY($1) ORDER BY id",
                [.int64Array([0, 1, 4_242, 99_999])], resultFormat: .binary)
            #expect(samples.rowCount == 4)
            for row in 0..<samples.rowCount {
                let id = try #require(try samples.int(row: row, column: 0))
                let embedding = try #require(try samples.vector(row: row, column: 1))
                #expect(embedding.map(\.bitPattern) == Self.vector(id).map(\.bitPattern))
                #expect(try samples.string(row: row, column: 2) == "row \(id)\twith tab")
            }
        }
    }

    @Test("100k rows load through text COPY, NULLs and escapes included")
    func textCopy() throws {
        try TestPostgres.withTable("copytext", columns: "id bigint, note text, embedding vector(3)") {
            connection, table in
            let stored = try connection.copyText("COPY \(table) (id, note, embedding) FROM STDIN") { writer in
                for row in 0..<Self.rowCount {
                    try writer.appendRow([String(row), row % 3 == 0 ? nil : "n\\\(row)\n", "[\(row),0.5,-1]"])
                }
            }
            #expect(stored == Self.rowCount)
            let summary = try connection.query(
                "SELECT count(*), count(note), sum(id), max(embedding[1]) FROM "
                    + "(SELECT id, note, embedding::real[] AS embedding FROM \(table)) AS t")
            #expect(try summary.int(row: 0, column: 0) == Self.rowCount)
            #expect(try summary.int(row: 0, column: 1) == Self.rowCount - (Self.rowCount + 2) / 3)
            #expect(try summary.int(row: 0, column: 2) == Self.rowCount * (Self.rowCount - 1) / 2)
            #expect(try summary.double(row: 0, column: 3) == Double(Self.rowCount - 1))
            let one = try connection.query("SELECT note FROM \(table) WHERE id = 7")
            #expect(try one.string(row: 0, column: 0) == "n\\7\n")
        }
    }

    @Test("a body that throws midway cancels the COPY: nothing is stored, the connection works")
    func abortedCopy() throws {
        struct Interrupted: Error {}
        try TestPostgres.withTable("copyabort", columns: "id bigint, embedding vector(2)") { connection, table in
            #expect(throws: Interrupted.self) {
                try connection.copyBinary("COPY \(table) FROM STDIN (FORMAT binary)") { writer in
                    for row in 0..<60_000 {  // several chunks reach the server before the failure
                        if row == 50_000 { throw Interrupted() }
                        try writer.beginRow(fieldCount: 2)
                        try writer.appendInt64(Int64(row))
                        try writer.appendVector([1, Float(row)])
                    }
                }
            }
            let stored = try connection.query("SELECT count(*) FROM \(table)").int(row: 0, column: 0)
            #expect(stored == 0)
        }
    }

    @Test("wrong field counts are usage errors")
    func fieldCounts() throws {
        try TestPostgres.withTable("copyfields", columns: "a int, b int") { connection, table in
            let tooFew = try #require(throws: PostgresError.self) {
                try connection.copyBinary("COPY \(table) FROM STDIN (FORMAT binary)") { writer in
                    try writer.beginRow(fieldCount: 2)
                    try writer.appendInt32(1)
                }
            }
            #expect(tooFew.code == .usage)
            let tooMany = try #require(throws: PostgresError.self) {
                try connection.copyBinary("COPY \(table) FROM STDIN (FORMAT binary)") { writer in
                    try writer.beginRow(fieldCount: 1)
                    try writer.appendInt32(1)
                    try writer.appendInt32(2)
                }
            }
            #expect(tooMany.code == .usage)
            // A row shorter than the table is the server's error, reported with its SQLSTATE.
            let server = try #require(throws: PostgresError.self) {
                try connection.copyBinary("COPY \(table) FROM STDIN (FORMAT binary)") { writer in
                    try writer.beginRow(fieldCount: 1)
                    try writer.appendInt32(1)
                }
            }
            #expect(server.code == .server)
            #expect(server.sqlState == "22P04")
            #expect(try connection.query("SELECT count(*) FROM \(table)").int(row: 0, column: 0) == 0)
        }
    }

    @Test("COPY into a missing table is the server's error; a non-COPY statement is a usage error")
    func badCopyStatements() throws {
        let connection = try TestPostgres.connect()
        let missing = try #require(throws: PostgresError.self) {
            try connection.copyText("COPY vecd_no_such_table FROM STDIN") { try $0.appendRow(["1"]) }
        }
        #expect(missing.sqlState == "42P01")
        let notCopy = try #require(throws: PostgresError.self) {
            try connection.copyText("SELECT 1") { try $0.appendRow(["1"]) }
        }
        #expect(notCopy.code == .usage)
        #expect(connection.isConnected)
    }
}

import Foundation
import Testing
import VecdPostgres

@Suite("PostgreSQL odd text", .enabled(if: TestPostgres.shouldRun, TestPostgres.skipReason))
struct PostgresOddTextTests {
    static let oddStrings = [
        "", "it's \"quoted\"", #"back\slash \\ and \N and \."#, "tab\there\nnewline\r\nCRLF", "trailing\\",
        "ünïcødé 日本語 עברית 👩🏽‍💻 e\u{301}", "\\N", "line\u{2028}separator\u{7F}\u{1B}[0m", "a\u{FEFF}b",
        String(repeating: "long ", count: 20_000),
    ]

    @Test("odd text survives parameters, text COPY and binary COPY byte for byte", arguments: oddStrings)
    func roundTrip(text: String) throws {
        try TestPostgres.withTable("odd", columns: "via text, body text") { connection, table in
            try connection.query("INSERT INTO \(table) VALUES ('param', $1)", [.text(text)])
            try connection.copyText("COPY \(table) (via, body) FROM STDIN") { try $0.appendRow(["text-copy", text]) }
            try connection.copyBinary("COPY \(table) (via, body) FROM STDIN (FORMAT binary)") { writer in
                try writer.beginRow(fieldCount: 2)
                try writer.appendText("binary-copy")
                try writer.appendText(text)
            }
            for format in [PostgresParameter.Format.text, .binary] {
                let result = try connection.query("SELECT via, body FROM \(table) ORDER BY via", resultFormat: format)
                #expect(result.rowCount == 3)
                for row in 0..<result.rowCount {
                    let back = try result.string(row: row, column: 1)
                    let via = try result.string(row: row, column: 0) ?? "?"
                    #expect(back.map { Array($0.utf8) } == Array(text.utf8), "via \(via)")
                }
            }
            // The server agrees on the length in characters, so nothing was re-encoded on the way.
            let lengths = try connection.query("SELECT DISTINCT length(body) FROM \(table)")
            #expect(lengths.rowCount == 1)
            #expect(try lengths.int(row: 0, column: 0) == text.unicodeScalars.count)
        }
    }

    @Test("NUL is refused clearly in parameters and nothing is sent")
    func nulParameters() throws {
        let connection = try TestPostgres.connect()
        for parameter in [
            PostgresParameter.text("a\u{0}b"), .jsonb("{\"k\": \"\u{0}\"}"), .textArray(["ok", "x\u{0}"]),
        ] {
            let error = try #require(throws: PostgresError.self) { try connection.query("SELECT $1", [parameter]) }
            #expect(error.code == .invalidParameter)
            #expect(error.message.contains("NUL"))
        }
        #expect(connection.isConnected)
    }

    @Test("NUL in a COPY row cancels the whole COPY and stores nothing", arguments: ["text", "binary"])
    func nulInCopy(format: String) throws {
        try TestPostgres.withTable("nulcopy", columns: "body text") { connection, table in
            let error = try #require(throws: PostgresError.self) {
                if format == "text" {
                    try connection.copyText("COPY \(table) FROM STDIN") { writer in
                        try writer.appendRow(["fine"])
                        try writer.appendRow(["bad\u{0}"])
                    }
                } else {
                    try connection.copyBinary("COPY \(table) FROM STDIN (FORMAT binary)") { writer in
                        try writer.beginRow(fieldCount: 1)
                        try writer.appendText("fine")
                        try writer.beginRow(fieldCount: 1)
                        try writer.appendText("bad\u{0}")
                    }
                }
            }
            #expect(error.code == .invalidParameter)
            #expect(error.message.contains("row 2"))
            #expect(try connection.query("SELECT count(*) FROM \(table)").int(row: 0, column: 0) == 0)
        }
    }
}

import Foundation
import Testing

@testable import VecdPostgres

@Suite("PostgreSQL connection", .enabled(if: TestPostgres.shouldRun, TestPostgres.skipReason))
struct PostgresConnectionTests {
    @Test("a server that is not there gives connectionFailed with libpq's reason")
    func connectionFailure() throws {
        let error = try #require(throws: PostgresError.self) {
            _ = try PostgresConnection(url: "postgres:///vecd?host=/tmp/vecd-no-such-dir&port=1&connect_timeout=2")
        }
        #expect(error.code == .connectionFailed)
        #expect(error.message.contains("/tmp/vecd-no-such-dir"))
    }

    @Test("a syntax error carries SQLSTATE, message and SQL, and the connection stays usable")
    func serverError() throws {
        let connection = try TestPostgres.connect()
        let error = try #require(throws: PostgresError.self) { try connection.exec("SELEC 1") }
        #expect(error.code == .server)
        #expect(error.sqlState == "42601")
        #expect(error.message.contains("syntax error"))
        #expect(error.sql == "SELEC 1")
        #expect(error.description.contains("SELEC 1"))
        #expect(try connection.query("SELECT 41 + 1").int(row: 0, column: 0) == 42)
        #expect(connection.isConnected)
    }

    @Test("an undefined table is 42P01 with the table named")
    func undefinedTable() throws {
        let connection = try TestPostgres.connect()
        let error = try #require(throws: PostgresError.self) {
            try connection.query("SELECT * FROM vecd_no_such_table WHERE id = $1", [.int64(1)])
        }
        #expect(error.sqlState == "42P01")
        #expect(error.message.contains("vecd_no_such_table"))
    }

    @Test("a unique violation carries the server's DETAIL")
    func constraintDetail() throws {
        try TestPostgres.withTable("dup", columns: "id bigint PRIMARY KEY") { connection, table in
            try connection.query("INSERT INTO \(table) VALUES ($1)", [.int64(7)])
            let error = try #require(throws: PostgresError.self) {
                try connection.query("INSERT INTO \(table) VALUES ($1)", [.int64(7)])
            }
            #expect(error.sqlState == "23505")
            #expect(error.detail?.contains("(id)=(7)") == true)
        }
    }

    @Test("affected row counts and command tags are reported")
    func commandStatus() throws {
        try TestPostgres.withTable("status", columns: "id int") { connection, table in
            let insert = try connection.exec("INSERT INTO \(table) SELECT generate_series(1, 5)")
            #expect(insert.affectedRowCount == 5)
            #expect(insert.commandStatus == "INSERT 0 5")
            let delete = try connection.query("DELETE FROM \(table) WHERE id > $1", [.int32(3)])
            #expect(delete.affectedRowCount == 2)
        }
    }

    @Test("a prepared statement runs repeatedly with new parameters")
    func preparedStatement() throws {
        let connection = try TestPostgres.connect()
        let statement = try connection.prepare("SELECT $1::bigint * 2", parameterTypes: [.int8])
        for value in [Int64(-3), 0, 21, Int64.max / 2] {
            let result = try connection.execute(statement, [.int64(value)], resultFormat: .binary)
            #expect(try result.int64(row: 0, column: 0) == value * 2)
        }
    }

    @Test("a transaction rolls back when its body throws")
    func transactionRollback() throws {
        struct Stop: Error {}
        try TestPostgres.withTable("tx", columns: "id int") { connection, table in
            var caught: (any Error)?
            do {
                try connection.transaction {
                    try connection.exec("INSERT INTO \(table) VALUES (1)")
                    throw Stop()
                }
            } catch {
                caught = error
            }
            #expect(caught is Stop)
            try connection.transaction { _ = try connection.exec("INSERT INTO \(table) VALUES (2)") }
            let ids = try connection.query("SELECT id FROM \(table)")
            #expect(ids.rowCount == 1)
            #expect(try ids.int(row: 0, column: 0) == 2)
        }
    }

    @Test("notices and warnings are collected, not printed")
    func notices() throws {
        let connection = try TestPostgres.connect()
        _ = connection.drainNotices()
        try connection.exec("DO $$ BEGIN RAISE WARNING 'vecd says hello'; END $$")
        let notices = connection.drainNotices()
        #expect(notices.contains { $0.contains("vecd says hello") })
        #expect(connection.drainNotices().isEmpty)
    }

    @Test("COPY through exec is refused and leaves the connection usable")
    func copyThroughExec() throws {
        try TestPostgres.withTable("copyexec", columns: "id int") { connection, table in
            let error = try #require(throws: PostgresError.self) {
                try connection.exec("COPY \(table) FROM STDIN")
            }
            #expect(error.code == .usage)
            #expect(try connection.query("SELECT count(*) FROM \(table)").int(row: 0, column: 0) == 0)
        }
    }

    @Test("a closed connection throws connectionLost")
    func closed() throws {
        let connection = try TestPostgres.connect()
        connection.close()
        connection.close()
        let error = try #require(throws: PostgresError.self) { try connection.exec("SELECT 1") }
        #expect(error.code == .connectionLost)
        #expect(!connection.isConnected)
    }
}

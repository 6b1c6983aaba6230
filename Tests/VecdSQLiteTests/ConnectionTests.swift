import Foundation
import Testing
import VecdSQLite
import VecdTestSupport

@Suite("Connection and statements")
struct ConnectionTests {
    @Test("a file database opens in WAL mode with foreign keys on")
    func settings() throws {
        let directory = TemporaryDirectory()
        let connection = try Connection(path: directory.file("a.sqlite"))
        let mode = try connection.queryFirst("PRAGMA journal_mode") { $0.string(0) }
        #expect(mode == "wal")
        #expect(try connection.scalarInt("PRAGMA foreign_keys") == 1)
        #expect(try connection.scalarInt("PRAGMA busy_timeout") == Connection.defaultBusyTimeoutMilliseconds)
        #expect(try connection.scalarInt("PRAGMA synchronous") == 1)  // NORMAL
        #expect(try connection.scalarInt("PRAGMA page_size") == Connection.newFilePageByteCount)
    }

    @Test("a database made with 4 KiB pages keeps them, and its rows, when it is opened again")
    func existingPageSizeKept() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("old.sqlite")
        do {
            let old = try Connection.inMemory()
            try old.execute("PRAGMA page_size = 4096; CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7)")
            try old.execute("VACUUM INTO '\(path)'")
        }
        let reopened = try Connection(path: path)
        #expect(try reopened.scalarInt("PRAGMA page_size") == 4096)
        #expect(try reopened.scalarInt("SELECT x FROM t") == 7)
        #expect(try reopened.queryFirst("PRAGMA journal_mode") { $0.string(0) } == "wal")
    }

    @Test("a throwaway database is still WAL but never syncs; it keeps what it commits while open")
    func throwawayDurability() throws {
        let directory = TemporaryDirectory()
        let connection = try Connection(path: directory.file("t.sqlite"), durability: .throwaway)
        #expect(try connection.queryFirst("PRAGMA journal_mode") { $0.string(0) } == "wal")
        #expect(try connection.scalarInt("PRAGMA synchronous") == 0)  // OFF
        try connection.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7)")
        #expect(try connection.scalarInt("SELECT x FROM t") == 7)
    }

    @Test("every storage class binds by index and by name and reads back unchanged")
    func bindAndRead() throws {
        let connection = try Connection.inMemory()
        try connection.execute("CREATE TABLE t (i INTEGER, d REAL, s TEXT, b BLOB, n ANY) STRICT")
        let insert = try connection.prepare("INSERT INTO t VALUES (?, ?, :s, :b, ?)")
        try insert.bind(Int64.max, at: 1)
        try insert.bind(-0.125, at: 2)
        try insert.bind("zażółć \u{0} nul", name: ":s")
        try insert.bind(Data([0, 1, 255]), name: ":b")
        try insert.bind(SQLiteValue.null, at: 5)
        try insert.run()
        let row = try #require(
            try connection.queryFirst("SELECT i, d, s, b, n FROM t") { statement in
                (statement.int64(0), statement.double(1), statement.string(2), statement.data(3), statement.isNull(4))
            })
        #expect(row.0 == Int64.max)
        #expect(row.1 == -0.125)
        #expect(row.2 == "zażółć \u{0} nul")
        #expect(row.3 == Data([0, 1, 255]))
        #expect(row.4)
    }

    @Test("empty text and empty blob are stored as values, not NULL")
    func emptyValues() throws {
        let connection = try Connection.inMemory()
        try connection.execute("CREATE TABLE t (s TEXT, b BLOB)")
        try connection.run("INSERT INTO t VALUES (?, ?)", ["", Data()])
        #expect(try connection.scalarInt("SELECT count(*) FROM t WHERE s IS NOT NULL AND b IS NOT NULL") == 1)
    }

    @Test("a syntax error names the statement; an unknown parameter name is refused")
    func errors() throws {
        let connection = try Connection.inMemory()
        do {
            _ = try connection.prepare("SELEC 1")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .error)
            #expect(error.sql == "SELEC 1")
            #expect(error.message.contains("syntax error"))
        }
        let statement = try connection.prepare("SELECT :a")
        #expect(throws: SQLiteError.self) { try statement.bind(1, name: ":b") }
        #expect(throws: SQLiteError.self) { try statement.bind([1, 2]) }
    }

    @Test("a constraint violation reports the constraint code")
    func constraint() throws {
        let connection = try Connection.inMemory()
        try connection.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
        try connection.run("INSERT INTO t VALUES (1)")
        do {
            try connection.run("INSERT INTO t VALUES (1)")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .constraint)
        }
    }

    @Test("a file that is not a database fails at open")
    func notADatabase() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("junk.sqlite")
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        do {
            _ = try Connection(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .notADatabase)
        }
    }
}

@Suite("Transactions")
struct TransactionTests {
    struct Boom: Error {}

    @Test("a throwing body rolls back everything it wrote")
    func rollback() throws {
        let connection = try Connection.inMemory()
        try connection.execute("CREATE TABLE t (x INTEGER)")
        #expect(throws: Boom.self) {
            try connection.inTransaction {
                try connection.run("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        #expect(try connection.scalarInt("SELECT count(*) FROM t") == 0)
        #expect(!connection.isInTransaction)
    }

    @Test("a returning body commits and passes its value through")
    func commit() throws {
        let connection = try Connection.inMemory()
        try connection.execute("CREATE TABLE t (x INTEGER)")
        let value = try connection.inTransaction {
            try connection.run("INSERT INTO t VALUES (7)")
            return 42
        }
        #expect(value == 42)
        #expect(try connection.scalarInt("SELECT x FROM t") == 7)
    }

    @Test("a failing nested transaction rolls back only its own work")
    func nested() throws {
        let connection = try Connection.inMemory()
        try connection.execute("CREATE TABLE t (x INTEGER)")
        try connection.inTransaction {
            try connection.run("INSERT INTO t VALUES (1)")
            _ = try? connection.inTransaction {
                try connection.run("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        }
        #expect(try connection.query("SELECT x FROM t") { $0.int(0) } == [1])
    }

    @Test("committed writes survive closing and reopening the file")
    func durable() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("d.sqlite")
        do {
            let connection = try Connection(path: path)
            try connection.execute("CREATE TABLE t (x INTEGER)")
            try connection.inTransaction { try connection.run("INSERT INTO t VALUES (3)") }
        }
        let reopened = try Connection(path: path)
        #expect(try reopened.scalarInt("SELECT x FROM t") == 3)
    }
}

import Foundation
import Testing
import VecdSQLite
import VecdTestSupport

@Suite("Migrator")
struct MigratorTests {
    /// Every table, index, trigger and view, as SQLite prints them: two databases with equal schemas give equal lists.
    static func schema(_ connection: Connection) throws -> [String] {
        try connection.query(
            "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master "
                + "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        ) { $0.string(0) }
    }

    @Test("a new database gets every migration, recorded in the version table")
    func fresh() throws {
        let directory = TemporaryDirectory()
        let connection = try Connection(path: directory.file("fresh.sqlite"))
        let migrator = try Migrator(migrations: Migration.vecdSchema)
        let outcome = try migrator.migrate(connection)
        #expect(outcome.previousVersion == 0)
        #expect(outcome.appliedVersions == Array(1...migrator.latestVersion))
        #expect(try Migrator.appliedMigrations(connection).map(\.version) == Array(1...migrator.latestVersion))
        #expect(try migrator.migrate(connection).appliedVersions.isEmpty)
    }

    @Test("a database at every earlier version upgrades to the same schema as a new one")
    func upgradeFromEveryVersion() throws {
        let directory = TemporaryDirectory()
        let all = Migration.vecdSchema
        let reference = try Connection.inMemory()
        try Migrator(migrations: all).migrate(reference)
        let expected = try Self.schema(reference)
        for start in 0..<all.count {
            let path = directory.file("from-\(start).sqlite")
            do {
                let old = try Connection(path: path)
                try Migrator(migrations: Array(all.prefix(start))).migrate(old)
            }
            let connection = try Connection(path: path)
            let outcome = try Migrator(migrations: all).migrate(connection)
            #expect(outcome.previousVersion == start)
            #expect(outcome.appliedVersions == Array((start + 1)...all.count))
            #expect(try Self.schema(connection) == expected, "upgrade from version \(start)")
        }
    }

    @Test("a database written by a newer vecd is refused and left unchanged")
    func newerRefused() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("newer.sqlite")
        let future = Migration(
            version: Migration.vecdSchema.count + 1, name: "future", sql: "CREATE TABLE future_table (x INTEGER);")
        do {
            let connection = try Connection(path: path)
            try Migrator(migrations: Migration.vecdSchema + [future]).migrate(connection)
        }
        let connection = try Connection(path: path)
        do {
            try Migrator(migrations: Migration.vecdSchema).migrate(connection)
            Issue.record("expected schemaTooNew")
        } catch {
            #expect(error.code == .schemaTooNew)
            #expect(error.message.contains("newer vecd"))
        }
        #expect(try Migrator.appliedMigrations(connection).last?.version == future.version)
    }

    @Test("an applied migration whose text changed is refused")
    func changedRefused() throws {
        let connection = try Connection.inMemory()
        let original = Migration(version: 1, name: "one", sql: "CREATE TABLE a (x INTEGER);")
        try Migrator(migrations: [original]).migrate(connection)
        let edited = Migration(version: 1, name: "one", sql: "CREATE TABLE a (x TEXT);")
        do {
            try Migrator(migrations: [edited]).migrate(connection)
            Issue.record("expected migrationChanged")
        } catch {
            #expect(error.code == .migrationChanged)
        }
    }

    @Test("a failing migration rolls back whole and is not recorded")
    func failingMigration() throws {
        let connection = try Connection.inMemory()
        let good = Migration(version: 1, name: "good", sql: "CREATE TABLE a (x INTEGER);")
        let bad = Migration(version: 2, name: "bad", sql: "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);")
        #expect(throws: SQLiteError.self) { try Migrator(migrations: [good, bad]).migrate(connection) }
        #expect(try Migrator.appliedMigrations(connection).map(\.version) == [1])
        #expect(try connection.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'b'") == 0)
    }

    @Test("migration versions must run 1, 2, 3, …")
    func numberingChecked() {
        let gap = [Migration(version: 1, name: "a", sql: ""), Migration(version: 3, name: "c", sql: "")]
        #expect(throws: SQLiteError.self) { try Migrator(migrations: gap) }
    }

    @Test(
        "file names parse as NNNN_name.sql and nothing else",
        arguments: [
            ("0001_initial.sql", 1, "initial"), ("0012_add_tags.sql", 12, "add_tags"),
        ])
    func parseNames(file: String, version: Int, name: String) {
        let parsed = Migration.parseFileName(file)
        #expect(parsed?.version == version)
        #expect(parsed?.name == name)
        #expect(Migration(version: version, name: name, sql: "").fileName == file)
    }

    @Test(
        "malformed file names are rejected",
        arguments: ["1_x.sql", "0001_.sql", "0001_x.txt", "abcd_x.sql", "0000_x.sql"])
    func rejectNames(file: String) {
        #expect(Migration.parseFileName(file) == nil)
    }
}

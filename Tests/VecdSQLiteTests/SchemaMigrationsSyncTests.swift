import Foundation
import Testing
import VecdSQLite

/// Keeps `Sources/VecdSQLite/SchemaMigrations.swift` (the SQL compiled into the binary) identical to `migrations/`.
@Suite("Embedded migrations")
struct SchemaMigrationsSyncTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The migrations as the files in `migrations/` say.
    static func migrationsOnDisk() throws -> [Migration] {
        let directory = repositoryRoot.appendingPathComponent("migrations")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }
        return try names.sorted().map { name in
            guard let parsed = Migration.parseFileName(name) else {
                throw MigrationFileError(message: "\(name) is not named NNNN_name.sql")
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            return Migration(version: parsed.version, name: parsed.name, sql: sql)
        }
    }

    struct MigrationFileError: Error { var message: String }

    /// The Swift source that embeds `migrations`.
    static func render(_ migrations: [Migration]) -> String {
        var source = """
            // GENERATED from migrations/*.sql; do not edit. To regenerate after adding a migration, run:
            //   VECD_UPDATE_MIGRATIONS=1 swift test --disable-xctest --filter SchemaMigrationsSyncTests
            // The test fails whenever this file and migrations/ differ.

            extension Migration {
                /// vecd's schema migrations, compiled into the binary so it needs no files beside it.
                public static let vecdSchema: [Migration] = [

            """
        for migration in migrations {
            // Raw string delimiters: one more '#' than the longest run the SQL contains after a quote.
            var pounds = "#"
            while migration.sql.contains("\"" + pounds) { pounds += "#" }
            source += "        Migration(version: \(migration.version), name: \"\(migration.name)\", sql: \(pounds)\"\"\"\n"
            source += migration.sql + "\n\"\"\"\(pounds)),\n"
        }
        source += "    ]\n}\n"
        return source
    }

    @Test("the SQL compiled into the binary equals migrations/*.sql")
    func embeddedMatchesFiles() throws {
        let onDisk = try Self.migrationsOnDisk()
        #expect(!onDisk.isEmpty)
        if onDisk != Migration.vecdSchema, ProcessInfo.processInfo.environment["VECD_UPDATE_MIGRATIONS"] == "1" {
            let target = Self.repositoryRoot.appendingPathComponent("Sources/VecdSQLite/SchemaMigrations.swift")
            try Self.render(onDisk).write(to: target, atomically: true, encoding: .utf8)
            Issue.record("regenerated SchemaMigrations.swift; rebuild and run again")
            return
        }
        #expect(onDisk.map(\.fileName) == Migration.vecdSchema.map(\.fileName))
        for (file, embedded) in zip(onDisk, Migration.vecdSchema) {
            #expect(file.sql == embedded.sql, "\(file.fileName) differs from SchemaMigrations.swift; regenerate it")
        }
    }

    @Test("the embedded migrations are numbered 1, 2, 3, … and accepted by the migrator")
    func numbering() throws {
        let migrator = try Migrator(migrations: Migration.vecdSchema)
        #expect(migrator.latestVersion == Migration.vecdSchema.count)
    }
}

/// Applies ``Migration``s in order, each in its own transaction, and records them in `vecd_schema_migrations`.
///
/// Forward-only: there are no down migrations. A database whose recorded version is above the newest migration the
/// binary knows was written by a newer vecd and is refused (``SQLiteError/Code-swift.struct/schemaTooNew``), since
/// this binary would not know how to keep the newer tables consistent.
public struct Migrator: Sendable {
    /// The migrations, versions 1…n in order.
    public let migrations: [Migration]

    /// The table that records applied migrations.
    public static let versionTable = "vecd_schema_migrations"

    /// Checks that `migrations` are numbered 1, 2, 3, … in order.
    public init(migrations: [Migration]) throws(SQLiteError) {
        for (offset, migration) in migrations.enumerated() where migration.version != offset + 1 {
            throw SQLiteError(
                code: .invalidMigrations,
                message: "migration \(migration.fileName) is at position \(offset + 1); versions must run 1, 2, 3, …")
        }
        self.migrations = migrations
    }

    /// The newest version this migrator knows.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// What ``migrate(_:)`` did.
    public struct Outcome: Sendable, Equatable {
        /// The version the database had before.
        public var previousVersion: Int
        /// The version it has now.
        public var currentVersion: Int
        /// The versions applied by this call, in order.
        public var appliedVersions: [Int]
    }

    /// Brings `connection`'s database up to ``latestVersion``.
    @discardableResult
    public func migrate(_ connection: Connection) throws(SQLiteError) -> Outcome {
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS \(Self.versionTable) (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                checksum TEXT NOT NULL,
                applied_at_ms INTEGER NOT NULL
            ) STRICT
            """)
        let applied = try Self.appliedMigrations(connection)
        let previous = applied.last?.version ?? 0
        if previous > latestVersion {
            throw SQLiteError(
                code: .schemaTooNew,
                message: "the database \(connection.path) has schema version \(previous), but this vecd knows only "
                    + "versions up to \(latestVersion); it was written by a newer vecd — upgrade vecd to open it")
        }
        for record in applied {
            let known = migrations[record.version - 1]
            guard known.checksum == record.checksum else {
                throw SQLiteError(
                    code: .migrationChanged,
                    message: "migration \(known.fileName) was applied with checksum \(record.checksum), but this "
                        + "binary's copy has \(known.checksum); landed migrations must never change")
            }
        }
        var done: [Int] = []
        for migration in migrations.dropFirst(previous) {
            try apply(migration, to: connection)
            done.append(migration.version)
        }
        return Outcome(previousVersion: previous, currentVersion: latestVersion, appliedVersions: done)
    }

    private func apply(_ migration: Migration, to connection: Connection) throws(SQLiteError) {
        do {
            try connection.inTransaction {
                try connection.execute(migration.sql)
                try connection.run(
                    "INSERT INTO \(Self.versionTable) (version, name, checksum, applied_at_ms) "
                        + "VALUES (?, ?, ?, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))",
                    [migration.version, migration.name, migration.checksum])
            }
        } catch var error as SQLiteError {
            error.message = "migration \(migration.fileName) failed: \(error.message)"
            throw error
        } catch {
            throw SQLiteError(code: .error, message: "migration \(migration.fileName) failed: \(error)")
        }
    }

    /// One row of the version table.
    public struct AppliedMigration: Sendable, Equatable {
        public var version: Int
        public var name: String
        public var checksum: String
    }

    /// The migrations recorded in `connection`'s database, oldest first (empty before the first migration).
    public static func appliedMigrations(_ connection: Connection) throws(SQLiteError) -> [AppliedMigration] {
        let exists =
            try connection.scalarInt(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [versionTable]) ?? 0
        guard exists > 0 else { return [] }
        do {
            return try connection.query("SELECT version, name, checksum FROM \(versionTable) ORDER BY version") {
                AppliedMigration(version: $0.int(0), name: $0.string(1), checksum: $0.string(2))
            }
        } catch let error as SQLiteError {
            throw error
        } catch {
            throw SQLiteError(code: .error, message: "\(error)")
        }
    }
}

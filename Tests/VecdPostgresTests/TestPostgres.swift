import Foundation
import Testing
import VecdPostgres

/// The PostgreSQL + pgvector server the tests run against: its URL comes from `VECD_TEST_POSTGRES_URL`
/// (`scripts/postgres/start.sh` prints one). Without it the suites are skipped with a reason, except under
/// `CI=true`, where they run and fail on connecting, so CI can never pass without having tested against Postgres.
enum TestPostgres {
    static let url: String? = ProcessInfo.processInfo.environment["VECD_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let shouldRun = url != nil || isCI
    static let skipReason: Comment = """
        VECD_TEST_POSTGRES_URL is unset: run `export VECD_TEST_POSTGRES_URL="$(bash scripts/postgres/start.sh)"` \
        (or scripts/postgres/with-postgres.sh) to run the PostgreSQL tests
        """

    /// A new connection to the test server (with the vector extension in place).
    static func connect() throws -> PostgresConnection {
        guard let url else {
            throw PostgresError(
                code: .connectionFailed,
                message: "CI=true but VECD_TEST_POSTGRES_URL is unset; start Postgres with scripts/postgres/start.sh")
        }
        let connection = try PostgresConnection(url: url)
        do {
            try connection.exec("SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS vector")
        } catch let error as PostgresError where error.sqlState == "23505" || error.sqlState == "42710" {
            // Another test created it at the same moment.
        }
        return connection
    }

    /// A table name no other test uses, so tests can run in parallel on one server.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Creates a table, runs `body`, and drops the table again.
    static func withTable<T>(
        _ prefix: String, columns: String, _ body: (PostgresConnection, String) throws -> T
    ) throws -> T {
        let connection = try connect()
        let table = uniqueName(prefix)
        try connection.exec("CREATE TABLE \(table) (\(columns))")
        defer { _ = try? connect().exec("DROP TABLE IF EXISTS \(table)") }
        return try body(connection, table)
    }
}

@Suite("test PostgreSQL availability")
struct TestPostgresAvailabilityTests {
    @Test("CI runs the PostgreSQL tests instead of skipping them", .enabled(if: TestPostgres.isCI))
    func ciHasPostgres() throws {
        #expect(TestPostgres.url != nil, "CI=true: set VECD_TEST_POSTGRES_URL (scripts/postgres/start.sh)")
        let connection = try TestPostgres.connect()
        let version = try connection.query("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        #expect(version.rowCount == 1)
    }
}

import Testing
import VecdPostgres

@Suite("PostgreSQL connection loss", .enabled(if: TestPostgres.shouldRun, TestPostgres.skipReason))
struct PostgresConnectionLossTests {
    /// Terminates `victim`'s backend from a second connection, as an administrator or a failover would.
    static func terminate(_ victim: PostgresConnection) throws {
        let killer = try TestPostgres.connect()
        let result = try killer.query("SELECT pg_terminate_backend($1)", [.int32(victim.backendProcessID)])
        #expect(try result.bool(row: 0, column: 0) == true)
    }

    @Test("a terminated backend gives connectionLost, now and on every later call")
    func terminatedBackend() throws {
        let victim = try TestPostgres.connect()
        #expect(try victim.query("SELECT 1").rowCount == 1)
        try Self.terminate(victim)
        let error = try #require(throws: PostgresError.self) { try victim.query("SELECT $1::int", [.int32(1)]) }
        #expect(error.code == .connectionLost)
        #expect(error.message.contains("lost"))
        #expect(!victim.isConnected)
        let later = try #require(throws: PostgresError.self) { try victim.exec("SELECT 1") }
        #expect(later.code == .connectionLost)
        #expect(throws: PostgresError.self) { try victim.prepare("SELECT 1") }
    }

    @Test("a backend terminated during a COPY gives connectionLost and stores nothing")
    func terminatedDuringCopy() throws {
        try TestPostgres.withTable("copylost", columns: "id bigint, embedding vector(16)") { victim, table in
            let error = try #require(throws: PostgresError.self) {
                try victim.copyBinary("COPY \(table) FROM STDIN (FORMAT binary)") { writer in
                    for row in 0..<200_000 {
                        if row == 20_000 { try Self.terminate(victim) }
                        try writer.beginRow(fieldCount: 2)
                        try writer.appendInt64(Int64(row))
                        try writer.appendVector([Float](repeating: Float(row), count: 16))
                    }
                }
            }
            #expect(error.code == .connectionLost)
            #expect(!victim.isConnected)
            let observer = try TestPostgres.connect()
            #expect(try observer.query("SELECT count(*) FROM \(table)").int(row: 0, column: 0) == 0)
        }
    }
}

import Foundation
import VecdBench
import VecdPostgres

/// What the churn protocol's VACUUM did: how long it waited for older transactions, how long it ran, and how many
/// deleted rows it still had to leave in place.
struct PgvectorVacuumOutcome {
    /// Seconds spent waiting for transactions that began before the deletes to end.
    var waitSeconds: Double
    /// Seconds the VACUUM itself took.
    var seconds: Double
    /// "N are dead but not yet removable", summed over the table and its TOAST table (nil if the server did not say).
    var deadRowsLeft: Int?
}

extension PgvectorTable {
    /// VACUUM after the churn's deletes, once no other session can still see the deleted rows.
    ///
    /// A transaction that began before the deletes (another client's, or a concurrent test's) keeps the deleted rows
    /// visible to itself, so VACUUM must leave them — in the heap and in the HNSW graph — and a REINDEX then builds
    /// them into the new graph as well. pgvector's scan still spends efSearch candidates on them, and the heap drops
    /// them afterwards: at efSearch = k a query returns fewer than k rows. That measures the other session, not
    /// pgvector's repair or rebuild, so this waits (up to `timeoutSeconds`) until every other backend of the
    /// database has a snapshot newer than the deletes, then runs `VACUUM (VERBOSE)` and reads how many dead rows
    /// it still could not remove.
    func vacuumAfterDeletes(timeoutSeconds: Double = 300, log: (String) -> Void) throws -> PgvectorVacuumOutcome {
        // A transaction id taken after the deletes committed: a backend whose xmin or xid is at or before it may
        // still see the deleted rows (conservative by the few transactions in between).
        let marker = try connection.query("SELECT (txid_current() % 4294967296)::text")
        let afterDeletes = try marker.string(row: 0, column: 0) ?? "0"
        let clock = ContinuousClock()
        let waitStart = clock.now
        var announced = false
        while true {
            let older = try connection.query(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND pid <> pg_backend_pid() AND ("
                    + "(backend_xmin IS NOT NULL AND age(backend_xmin) >= age($1::xid)) OR "
                    + "(backend_xid IS NOT NULL AND age(backend_xid) >= age($1::xid)))", [.text(afterDeletes)])
            let count = try older.int(row: 0, column: 0) ?? 0
            if count == 0 { break }
            if (clock.now - waitStart).seconds > timeoutSeconds {
                log("VACUUM: \(count) older transaction(s) still open after \(Int(timeoutSeconds)) s; vacuuming anyway")
                break
            }
            if !announced {
                log("VACUUM: waiting for \(count) transaction(s) older than the deletes to end")
                announced = true
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let waitSeconds = (clock.now - waitStart).seconds
        _ = connection.drainNotices()
        let start = clock.now
        try connection.exec("VACUUM (VERBOSE) \(name)")
        let seconds = (clock.now - start).seconds
        return PgvectorVacuumOutcome(
            waitSeconds: waitSeconds, seconds: seconds, deadRowsLeft: Self.deadRowsLeft(connection.drainNotices()))
    }

    /// The sum of "N are dead but not yet removable" over VACUUM VERBOSE's reports (PostgreSQL 9.x to 18 word it
    /// so), or nil when no report says it.
    static func deadRowsLeft(_ notices: [String]) -> Int? {
        var total: Int?
        let pattern = #/(\d+) are dead but not yet removable/#
        for notice in notices {
            for match in notice.matches(of: pattern) {
                total = (total ?? 0) + (Int(match.output.1) ?? 0)
            }
        }
        return total
    }
}

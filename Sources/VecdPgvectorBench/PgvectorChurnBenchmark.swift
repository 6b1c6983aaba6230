import Foundation
import VecdBench
import VecdKernels
import VecdPostgres

/// What the churn protocol measured on pgvector (`vecd bench churn`'s protocol, REINDEX where vecd compacts).
public struct PgvectorChurnReport: Codable, Sendable {
    /// Always `pgvector`.
    public var engine = "pgvector"
    /// e.g. `18.6`.
    public var postgresVersion: String
    /// e.g. `0.8.6`.
    public var pgvectorVersion: String
    /// Neighbours per query (recall@k).
    public var k: Int
    /// HNSW links per node.
    public var m: Int
    /// Candidate list size while building.
    public var efConstruction: Int
    /// Seed of the random deletions.
    public var seed: UInt64
    /// Rows in the base set; the first half is indexed, the second half inserted afterwards.
    public var baseRows: Int
    /// Rows per insert batch (1,000).
    public var insertBatchRows: Int
    /// Rows deleted (30% of the base set).
    public var deletedRows: Int
    /// Rows left after the deletes.
    public var liveRows: Int
    /// The recall a fresh build must reach at the target efSearch (0.90).
    public var targetRecall: Double
    /// The smallest efSearch at which a fresh build of the live rows reaches ``targetRecall``.
    public var targetEfSearch: Int
    /// False when no efSearch up to the largest tried reached ``targetRecall`` (the target is then that largest).
    public var targetReached: Bool
    /// The index build on the first half.
    public var initialBuildSeconds: Double
    /// All insert batches together.
    public var insertSeconds: Double
    /// All DELETE batches together.
    public var deleteSeconds: Double
    /// `VACUUM` of the churned table (heap and HNSW index).
    public var vacuumSeconds: Double
    /// Time spent before the VACUUM waiting for transactions older than the deletes to end (other sessions').
    public var vacuumWaitSeconds: Double
    /// Deleted rows the VACUUM still had to keep because an older transaction could see them (its VERBOSE report);
    /// above 0, the VACUUM and REINDEX rows measure those dead rows, not pgvector's repair and rebuild.
    public var deadRowsAfterVacuum: Int?
    /// `REINDEX INDEX` of the churned index.
    public var reindexSeconds: Double
    /// The index build on a fresh table of the live rows.
    public var freshBuildSeconds: Double
    /// The fresh build's measurements on the way to the target (the efSearch sweep, then the bisection).
    public var freshSweep: [PgvectorSearchRow]
    /// The fresh build of the live rows, at the target efSearch.
    public var fresh: PgvectorSearchRow
    /// The churned index right after the deletes (dead tuples still in the graph), at the target efSearch.
    public var churned: PgvectorSearchRow
    /// After VACUUM (pgvector repairs the graph around deleted tuples), before REINDEX.
    public var vacuumed: PgvectorSearchRow
    /// After REINDEX (the graph rebuilt from the live rows).
    public var reindexed: PgvectorSearchRow
    /// Index size after the churn and VACUUM.
    public var indexBytesChurned: Int
    /// Index size after REINDEX.
    public var indexBytesReindexed: Int

    enum CodingKeys: String, CodingKey {
        case engine, postgresVersion = "postgres_version", pgvectorVersion = "pgvector_version", k, m
        case efConstruction = "ef_construction", seed, baseRows = "base_rows", insertBatchRows = "insert_batch_rows"
        case deletedRows = "deleted_rows", liveRows = "live_rows", targetRecall = "target_recall"
        case targetEfSearch = "target_ef_search", targetReached = "target_reached"
        case initialBuildSeconds = "initial_build_seconds", insertSeconds = "insert_seconds"
        case deleteSeconds = "delete_seconds", vacuumSeconds = "vacuum_seconds", reindexSeconds = "reindex_seconds"
        case vacuumWaitSeconds = "vacuum_wait_seconds", deadRowsAfterVacuum = "dead_rows_after_vacuum"
        case freshBuildSeconds = "fresh_build_seconds", freshSweep = "fresh_sweep", fresh, churned, vacuumed
        case reindexed, indexBytesChurned = "index_bytes_churned", indexBytesReindexed = "index_bytes_reindexed"
    }
}

extension PgvectorBenchmark {
    /// Rows per insert batch and the fraction deleted, as the churn protocol fixes them.
    public static let churnInsertBatchRows = 1_000
    /// Fraction of all rows deleted.
    public static let churnDeleteFraction = 0.30
    /// The recall a fresh build must reach at the target efSearch.
    public static let churnTargetRecall = 0.90

    /// The churn protocol: build on the first half of `base`, insert the second half in batches of 1,000 (one binary
    /// COPY each), delete 30% of all rows at random (seeded), then measure recall@k at the efSearch where a fresh
    /// build of the same live rows reaches 0.90 — right after the deletes, after VACUUM, and after REINDEX.
    /// Ground truth over the live rows is computed here, exactly (Double precision).
    public func runChurn(
        base: VectorMatrix<Float>, queries: VectorMatrix<Float>, seed: UInt64 = 42, log: (String) -> Void
    ) throws -> PgvectorChurnReport {
        try validate(base: base, queries: queries)
        let connection = try PostgresConnection(url: url)
        let versions = try Self.versions(connection)
        let half = base.rows / 2
        log(
            "pgvector churn: \(base.rows) rows × \(base.dimension): build on \(half), insert \(base.rows - half) in "
                + "batches of \(Self.churnInsertBatchRows), delete \(Int(Self.churnDeleteFraction * 100))% (seed \(seed))"
        )
        let churnName = table + "_churn"
        let items = try PgvectorTable.create(
            connection, name: churnName, dimension: base.dimension, settings: index, primaryKey: true)
        defer { if !keepTable { _ = try? connection.exec("DROP TABLE IF EXISTS \(churnName)") } }

        try items.load(base, rows: 0..<half)
        try connection.exec("VACUUM ANALYZE \(churnName)")
        let initialBuildSeconds = try items.buildIndex()
        log(String(format: "initial build on %d rows: %.2f s", half, initialBuildSeconds))

        var insertSeconds = 0.0
        for start in stride(from: half, to: base.rows, by: Self.churnInsertBatchRows) {
            insertSeconds += try items.load(base, rows: start..<min(start + Self.churnInsertBatchRows, base.rows))
        }
        log(String(format: "inserted %d rows in %.2f s", base.rows - half, insertSeconds))

        // The same draw as vecd's side of `vecd bench churn`, so with the same seed both engines lose the same rows.
        let deleted = LiveTruth.deletedRows(rows: base.rows, fraction: Self.churnDeleteFraction, seed: seed)
        let deleteStart = ContinuousClock.now
        for start in stride(from: 0, to: deleted.count, by: Self.churnInsertBatchRows) {
            let batch = deleted[start..<min(start + Self.churnInsertBatchRows, deleted.count)]
            try connection.query("DELETE FROM \(churnName) WHERE id = ANY($1)", [.int64Array(batch.map(Int64.init))])
        }
        let deleteSeconds = (ContinuousClock.now - deleteStart).seconds
        let deletedSet = Set(deleted)
        let live = (0..<base.rows).filter { !deletedSet.contains($0) }
        log(String(format: "deleted %d rows in %.2f s; %d live", deleted.count, deleteSeconds, live.count))

        let truth = Self.exactTruth(base: base, liveRows: live, queries: queries, k: k)
        let fresh = try measureFreshBuild(
            connection, base: base, liveRows: live, queries: queries, truth: truth, log: log)
        let target = fresh.target

        let churned = try items.measure(
            efSearch: target.efSearch, k: k, queries: queries, truth: truth, warmupQueries: warmupQueries)
        log("churned, before VACUUM: " + Self.describe(churned))
        let vacuum = try items.vacuumAfterDeletes(log: log)
        let vacuumed = try items.measure(
            efSearch: target.efSearch, k: k, queries: queries, truth: truth, warmupQueries: warmupQueries)
        log(
            String(format: "after VACUUM (%.2f s, %@ dead rows left): ", vacuum.seconds,
                   vacuum.deadRowsLeft.map { "\($0)" } ?? "?") + Self.describe(vacuumed))
        let churnedBytes = try items.sizes().index
        let reindexSeconds = try items.reindex()
        let reindexed = try items.measure(
            efSearch: target.efSearch, k: k, queries: queries, truth: truth, warmupQueries: warmupQueries)
        log(String(format: "after REINDEX (%.2f s): ", reindexSeconds) + Self.describe(reindexed))

        return PgvectorChurnReport(
            postgresVersion: versions.postgres, pgvectorVersion: versions.pgvector, k: k, m: index.m,
            efConstruction: index.efConstruction, seed: seed, baseRows: base.rows,
            insertBatchRows: Self.churnInsertBatchRows, deletedRows: deleted.count, liveRows: live.count,
            targetRecall: Self.churnTargetRecall, targetEfSearch: target.efSearch,
            targetReached: target.recall >= Self.churnTargetRecall, initialBuildSeconds: initialBuildSeconds,
            insertSeconds: insertSeconds, deleteSeconds: deleteSeconds, vacuumSeconds: vacuum.seconds,
            vacuumWaitSeconds: vacuum.waitSeconds, deadRowsAfterVacuum: vacuum.deadRowsLeft,
            reindexSeconds: reindexSeconds, freshBuildSeconds: fresh.buildSeconds, freshSweep: fresh.sweep,
            fresh: target, churned: churned, vacuumed: vacuumed, reindexed: reindexed,
            indexBytesChurned: churnedBytes, indexBytesReindexed: try items.sizes().index)
    }

    /// Exact top-k ids among the live rows for each query (cosine, Double precision).
    static func exactTruth(base: VectorMatrix<Float>, liveRows: [Int], queries: VectorMatrix<Float>, k: Int)
        -> VectorMatrix<Int32>
    {
        LiveTruth.compute(
            base: base, liveRows: liveRows, queries: queries, k: k, metric: .cosine,
            threads: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Builds a fresh index on the live rows only and finds the smallest efSearch reaching the target recall:
    /// the efSearch sweep (values ≥ k) up to the first value that reaches it, then bisection between that and the
    /// previous one, or k − 1 (recall grows with efSearch, up to measurement noise).
    private func measureFreshBuild(
        _ connection: PostgresConnection, base: VectorMatrix<Float>, liveRows: [Int], queries: VectorMatrix<Float>,
        truth: VectorMatrix<Int32>, log: (String) -> Void
    ) throws -> (target: PgvectorSearchRow, sweep: [PgvectorSearchRow], buildSeconds: Double) {
        let freshName = table + "_fresh"
        let fresh = try PgvectorTable.create(
            connection, name: freshName, dimension: base.dimension, settings: index, primaryKey: false)
        defer { _ = try? connection.exec("DROP TABLE IF EXISTS \(freshName)") }
        try fresh.load(base, rows: liveRows)
        try connection.exec("VACUUM ANALYZE \(freshName)")
        let buildSeconds = try fresh.buildIndex()
        log(String(format: "fresh build on the %d live rows: %.2f s", liveRows.count, buildSeconds))

        func measure(_ efSearch: Int) throws -> PgvectorSearchRow {
            let row = try fresh.measure(
                efSearch: efSearch, k: k, queries: queries, truth: truth, warmupQueries: warmupQueries)
            log("fresh: " + Self.describe(row))
            return row
        }
        var sweep: [PgvectorSearchRow] = []
        var below: PgvectorSearchRow?
        var reached: PgvectorSearchRow?
        // pgvector returns at most ef_search rows, so below k the recall is capped at efSearch / k: never a target.
        let candidates = efSearchValues.filter { $0 >= k }.sorted()
        for efSearch in candidates.isEmpty ? [k] : candidates {
            let row = try measure(efSearch)
            sweep.append(row)
            if row.recall >= Self.churnTargetRecall {
                reached = row
                break
            }
            below = row
        }
        guard var upper = reached else { return (sweep.last!, sweep, buildSeconds) }
        var lowerEf = below?.efSearch ?? (k - 1)
        while upper.efSearch - lowerEf > 1 {
            let middle = (lowerEf + upper.efSearch) / 2
            let row = try measure(middle)
            sweep.append(row)
            if row.recall >= Self.churnTargetRecall { upper = row } else { lowerEf = middle }
        }
        return (upper, sweep, buildSeconds)
    }
}

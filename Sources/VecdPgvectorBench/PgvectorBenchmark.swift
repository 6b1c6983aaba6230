import Foundation
import VecdBench
import VecdPostgres

/// The pgvector side of `vecd bench pgvector`: loads a base set into a pgvector table with binary COPY, builds
/// `CREATE INDEX … USING hnsw (embedding vector_cosine_ops) WITH (m, ef_construction)` (timed), and for each
/// efSearch (`SET hnsw.ef_search`) runs the queries one at a time after a warm-up — a prepared statement with a
/// binary vector parameter over one connection — reporting recall@k against the ground truth, QPS, p50 and p99.
///
/// Row i of the base set gets id i, so ground-truth row numbers are ids. The table is dropped afterwards unless
/// ``keepTable`` is set. The churn protocol is ``runChurn(base:queries:log:)``.
public struct PgvectorBenchmark: Sendable {
    /// libpq URL of a PostgreSQL with the `vector` extension available.
    public var url: String
    /// The table to (re)create; a plain lowercase SQL identifier.
    public var table: String
    /// HNSW build settings.
    public var index: PgvectorIndexSettings
    /// Neighbours per query (recall@k).
    public var k: Int
    /// The efSearch values to measure, in order.
    public var efSearchValues: [Int]
    /// Untimed queries before each efSearch's timed run.
    public var warmupQueries = 200
    /// Keep the table (and index) after the run, e.g. to inspect it with psql.
    public var keepTable = false

    /// A benchmark with pgvector's defaults (m 16, ef_construction 64, one build process) and k = 10.
    public init(
        url: String, table: String = "vecd_bench_items", index: PgvectorIndexSettings = PgvectorIndexSettings(),
        k: Int = 10, efSearchValues: [Int] = [10, 20, 40, 64, 100, 200, 400, 800]
    ) {
        self.url = url
        self.table = table
        self.index = index
        self.k = k
        self.efSearchValues = efSearchValues
    }

    /// Runs the ANN protocol. `truth` row i holds the ids of query i's nearest base rows (at least `k` of them).
    /// `log` receives progress lines.
    public func run(
        base: VectorMatrix<Float>, queries: VectorMatrix<Float>, truth: VectorMatrix<Int32>,
        log: (String) -> Void
    ) throws -> PgvectorBenchmarkReport {
        let loaded = try load(base: base, queries: queries, truth: truth, log: log)
        defer { loaded.dropUnless(keepTable) }
        var rows: [PgvectorSearchRow] = []
        for efSearch in efSearchValues {
            let row = try loaded.items.measure(
                efSearch: efSearch, k: k, queries: queries, truth: truth, warmupQueries: warmupQueries)
            rows.append(row)
            log(Self.describe(row))
        }
        return report(loaded, base: base, queries: queries, rows: rows)
    }

    /// The ANN protocol up to the measurements: checks the input, creates the table, loads it with binary COPY and
    /// builds the index (both timed). The caller measures and drops the table.
    func load(
        base: VectorMatrix<Float>, queries: VectorMatrix<Float>, truth: VectorMatrix<Int32>, log: (String) -> Void
    ) throws -> PgvectorLoadedTable {
        try validate(base: base, queries: queries)
        guard truth.rows >= queries.rows, truth.dimension >= k else {
            throw PostgresError(
                code: .invalidParameter,
                message: "ground truth has \(truth.rows) rows of \(truth.dimension) ids; need \(queries.rows) rows of "
                    + "at least k = \(k)")
        }
        let connection = try PostgresConnection(url: url)
        let versions = try Self.versions(connection)
        log(
            "pgvector bench: PostgreSQL \(versions.postgres) + pgvector \(versions.pgvector), \(base.rows) base × "
                + "\(base.dimension), \(queries.rows) queries, k=\(k), m=\(index.m), "
                + "ef_construction=\(index.efConstruction), build processes=\(index.parallelWorkers + 1)")
        let items = try PgvectorTable.create(
            connection, name: table, dimension: base.dimension, settings: index, primaryKey: false)
        do {
            let copySeconds = try items.load(base, rows: 0..<base.rows)
            log(String(format: "copy: %d rows in %.2f s (binary COPY)", base.rows, copySeconds))
            // Collect the table's statistics and visibility map before the build, as a loaded production table has
            // them.
            try connection.exec("VACUUM ANALYZE \(table)")
            let buildSeconds = try items.buildIndex()
            let sizes = try items.sizes()
            log(
                String(
                    format: "build: %.2f s; index %.1f MiB, table %.1f MiB", buildSeconds,
                    Double(sizes.index) / 1_048_576, Double(sizes.table) / 1_048_576))
            for notice in connection.drainNotices() { log("server: \(notice)") }
            return PgvectorLoadedTable(
                items: items, postgresVersion: versions.postgres, pgvectorVersion: versions.pgvector,
                copySeconds: copySeconds, buildSeconds: buildSeconds, indexBytes: sizes.index, tableBytes: sizes.table)
        } catch {
            PgvectorLoadedTable.drop(items)
            throw error
        }
    }

    /// The ANN report for a loaded table and its measured rows.
    func report(
        _ loaded: PgvectorLoadedTable, base: VectorMatrix<Float>, queries: VectorMatrix<Float>,
        rows: [PgvectorSearchRow]
    ) -> PgvectorBenchmarkReport {
        PgvectorBenchmarkReport(
            postgresVersion: loaded.postgresVersion, pgvectorVersion: loaded.pgvectorVersion,
            copySeconds: loaded.copySeconds, buildSeconds: loaded.buildSeconds, threads: index.parallelWorkers + 1,
            indexBytes: loaded.indexBytes, tableBytes: loaded.tableBytes, m: index.m,
            efConstruction: index.efConstruction, k: k, baseRows: base.rows, queryRows: queries.rows,
            dimension: base.dimension, rows: rows, qpsAtRecall: RecallCurve.headline(rows))
    }

    /// One progress line per efSearch, in the same layout as `vecd bench ann`.
    static func describe(_ row: PgvectorSearchRow) -> String {
        String(
            format: "ef_search %4d  recall %.4f  qps %9.1f  p50 %.3f ms  p99 %.3f ms", row.efSearch, row.recall,
            row.qps, row.p50Milliseconds, row.p99Milliseconds)
    }

    func validate(base: VectorMatrix<Float>, queries: VectorMatrix<Float>) throws {
        guard table.range(of: #"^[a-z_][a-z0-9_]{0,50}$"#, options: .regularExpression) != nil else {
            throw PostgresError(
                code: .invalidParameter,
                message: "table name '\(table)' must be a lowercase SQL identifier (a-z, 0-9, _; at most 51 characters)"
            )
        }
        guard base.rows > 0, queries.rows > 0, base.dimension == queries.dimension else {
            throw PostgresError(
                code: .invalidParameter,
                message: "need base and query vectors of one dimension; got \(base.rows) × \(base.dimension) base and "
                    + "\(queries.rows) × \(queries.dimension) queries")
        }
        guard base.dimension <= 2000 else {
            // pgvector's HNSW index stops at 2,000 dimensions for `vector`.
            throw PostgresError(
                code: .invalidParameter,
                message: "pgvector's HNSW index supports at most 2,000 dimensions; the data has \(base.dimension)")
        }
        guard k > 0, !efSearchValues.isEmpty, efSearchValues.allSatisfy({ (1...1000).contains($0) }) else {
            throw PostgresError(
                code: .invalidParameter,
                message: "k must be positive and every efSearch within pgvector's 1…1000; got k=\(k), "
                    + "efSearch \(efSearchValues)")
        }
    }

    static func versions(_ connection: PostgresConnection) throws -> (postgres: String, pgvector: String) {
        let result = try connection.query(
            "SELECT current_setting('server_version'), (SELECT extversion FROM pg_extension WHERE extname = 'vector')")
        guard let pgvector = try result.string(row: 0, column: 1) else {
            throw PostgresError(
                code: .usage,
                message: "the vector extension is not installed in this database; run CREATE EXTENSION vector "
                    + "(scripts/postgres/start.sh does)")
        }
        return (try result.string(row: 0, column: 0) ?? "?", pgvector)
    }
}

/// A benchmark table after COPY and the index build, with what that took: what the measurements run on.
struct PgvectorLoadedTable {
    let items: PgvectorTable
    let postgresVersion: String
    let pgvectorVersion: String
    let copySeconds: Double
    let buildSeconds: Double
    let indexBytes: Int
    let tableBytes: Int

    /// Drops the table unless `keep` (best effort: a lost connection leaves it for the next run's DROP … IF EXISTS).
    func dropUnless(_ keep: Bool) {
        if !keep { Self.drop(items) }
    }

    static func drop(_ items: PgvectorTable) {
        _ = try? items.connection.exec("DROP TABLE IF EXISTS \(items.name)")
    }
}

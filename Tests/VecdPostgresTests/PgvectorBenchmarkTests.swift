import Foundation
import Testing
import VecdBench
import VecdKernels
import VecdPostgres
import VecdPgvectorBench

@Suite("pgvector benchmark driver", .enabled(if: TestPostgres.shouldRun, TestPostgres.skipReason))
struct PgvectorBenchmarkTests {
    static let dimension = 16

    static func data(rows: Int, queries: Int) -> (VectorMatrix<Float>, VectorMatrix<Float>, VectorMatrix<Int32>) {
        let base = SyntheticVectors.clustered(rows: rows, dimension: dimension, seed: 7)
        let queries = SyntheticVectors.clustered(rows: queries, dimension: dimension, seed: 8)
        let truth = ExactNeighbors.compute(base: base, queries: queries, k: 10, metric: .cosine)
        return (base, queries, truth)
    }

    static func benchmark(_ table: String) throws -> PgvectorBenchmark {
        var benchmark = PgvectorBenchmark(
            url: try #require(TestPostgres.url), table: table, efSearchValues: [10, 40, 200])
        benchmark.warmupQueries = 10
        return benchmark
    }

    @Test("the ANN protocol reports one row per efSearch, high recall at a large efSearch, and drops its table")
    func annProtocol() throws {
        let (base, queries, truth) = Self.data(rows: 3_000, queries: 60)
        let table = TestPostgres.uniqueName("bench")
        var lines: [String] = []
        let report = try Self.benchmark(table).run(base: base, queries: queries, truth: truth) { lines.append($0) }
        #expect(report.rows.map(\.efSearch) == [10, 40, 200])
        #expect(report.rows.last!.recall >= 0.95)
        #expect(report.rows.allSatisfy { $0.qps > 0 && $0.p99Milliseconds >= $0.p50Milliseconds })
        #expect(report.baseRows == 3_000 && report.queryRows == 60 && report.dimension == Self.dimension)
        #expect(report.indexBytes > 0 && report.tableBytes > 0)
        #expect(report.pgvectorVersion.hasPrefix("0."))
        #expect(lines.contains { $0.hasPrefix("copy: 3000 rows") })
        let remaining = try TestPostgres.connect().query("SELECT to_regclass($1) IS NULL", [.text(table)])
        #expect(try remaining.bool(row: 0, column: 0) == true)
    }

    @Test("the comparison measures vecd and pgvector at the same efSearch values and compares them at equal recall")
    func comparison() throws {
        let (base, queries, truth) = Self.data(rows: 3_000, queries: 60)
        let table = TestPostgres.uniqueName("cmp")
        let printed = LineCollector()
        let report = try Self.benchmark(table).runComparison(
            base: base, queries: queries, truth: truth, log: printed.print)
        #expect(report.vecd.rows.map(\.efSearch) == [10, 40, 200])
        #expect(report.pgvector.rows.map(\.efSearch) == [10, 40, 200])
        #expect(report.vecd.m == report.pgvector.m && report.vecd.efConstruction == report.pgvector.efConstruction)
        #expect(report.vecd.threads == report.pgvector.threads)
        #expect(report.vecd.storage == "f32" && report.vecd.metric == "cosine")
        // Both engines search the same data well at a large efSearch: the same truth scores both.
        #expect(report.vecd.rows.last!.recall >= 0.95 && report.pgvector.rows.last!.recall >= 0.95)
        let atNinety = try #require(report.equalRecall.first)
        #expect(atNinety.recall == 0.90)
        let vecdQPS = try #require(atNinety.vecdQPS)
        let pgvectorQPS = try #require(atNinety.pgvectorQPS)
        #expect(abs(try #require(atNinety.qpsRatio) - vecdQPS / pgvectorQPS) < 1e-9)
        #expect(report.pgvectorRoundTrip.queries == 60 && report.pgvectorRoundTrip.p50Milliseconds > 0)
        // The passes alternate: each vecd line is followed by pgvector's at the same efSearch.
        let passes = printed.lines.filter { $0.hasPrefix("vecd:") || $0.hasPrefix("pgvector:") }
        #expect(passes.map { $0.hasPrefix("vecd:") } == [true, false, true, false, true, false])
        let remaining = try TestPostgres.connect().query("SELECT to_regclass($1) IS NULL", [.text(table)])
        #expect(try remaining.bool(row: 0, column: 0) == true)
    }

    @Test("report rows use the bench JSON schema")
    func rowSchema() throws {
        let row = PgvectorSearchRow(efSearch: 40, recall: 0.9, qps: 500, p50Milliseconds: 1.5, p99Milliseconds: 3)
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(row)) as? [String: Any]
        #expect(Set(object?.keys.map { $0 } ?? []) == ["ef_search", "recall", "qps", "p50_ms", "p99_ms"])
    }

    @Test("the churn protocol measures at the efSearch where a fresh build reaches 0.90")
    func churnProtocol() throws {
        let (base, queries, _) = Self.data(rows: 2_400, queries: 60)
        let table = TestPostgres.uniqueName("churn")
        let report = try Self.benchmark(table).runChurn(base: base, queries: queries, seed: 3) { _ in }
        #expect(report.deletedRows == 720)
        #expect(report.liveRows == 1_680)
        #expect(report.targetReached)
        #expect(report.fresh.recall >= 0.90)
        #expect(report.fresh.efSearch == report.targetEfSearch)
        // pgvector returns at most ef_search rows, so a target below k would be an artefact of truncation.
        #expect(report.targetEfSearch >= report.k)
        // The bisection found the smallest efSearch: one less falls short (when it was measured at all).
        if let below = report.freshSweep.first(where: { $0.efSearch == report.targetEfSearch - 1 }) {
            #expect(below.recall < 0.90)
        }
        #expect(
            [report.churned, report.vacuumed, report.reindexed].allSatisfy { $0.efSearch == report.targetEfSearch })
        // Deleted rows still in the graph take efSearch candidate slots and the heap then drops them: at a small
        // efSearch the churned index returns fewer than k rows per query.
        #expect(try #require(report.churned.rowsPerQuery) < Double(report.k))
        // Once VACUUM has removed them (no older transaction can see them: the protocol waits for those), REINDEX
        // builds the graph from the live rows only, so every query gets k rows and a fresh build's recall.
        #expect(report.deadRowsAfterVacuum == 0)
        #expect(report.reindexed.rowsPerQuery == Double(report.k))
        #expect(report.reindexed.recall >= 0.95)
        #expect(report.indexBytesReindexed > 0)
    }

    @Test("a transaction older than the deletes delays VACUUM instead of leaving deleted rows in the rebuilt graph")
    func churnWaitsForOlderTransactions() throws {
        let (base, queries, _) = Self.data(rows: 1_200, queries: 30)
        // Another session's snapshot from before the deletes: while it lasts, the deleted rows are visible to it,
        // and VACUUM must keep them (REINDEX would then build them into the new graph).
        let holder = try TestPostgres.connect()
        try holder.exec("BEGIN ISOLATION LEVEL REPEATABLE READ")
        try holder.query("SELECT count(*) FROM pg_class")
        var released = false
        let report = try Self.benchmark(TestPostgres.uniqueName("churnwait")).runChurn(
            base: base, queries: queries, seed: 5
        ) { line in
            guard line.hasPrefix("VACUUM: waiting"), !released else { return }
            released = (try? holder.exec("COMMIT")) != nil
        }
        #expect(released, "the protocol saw the older transaction and waited for it")
        #expect(report.deadRowsAfterVacuum == 0)
        #expect(report.reindexed.rowsPerQuery == Double(report.k))
    }

    @Test("bad input is refused before anything is created", arguments: ["Bad-Name", "x; DROP TABLE y", ""])
    func badTableName(name: String) throws {
        let (base, queries, truth) = Self.data(rows: 20, queries: 2)
        let error = try #require(throws: PostgresError.self) {
            try Self.benchmark(name).run(base: base, queries: queries, truth: truth) { _ in }
        }
        #expect(error.code == .invalidParameter)
    }
}

@Suite("recall curve")
struct RecallCurveTests {
    static let rows = [
        PgvectorSearchRow(efSearch: 10, recall: 0.80, qps: 1000, p50Milliseconds: 1, p99Milliseconds: 2),
        PgvectorSearchRow(efSearch: 20, recall: 0.92, qps: 600, p50Milliseconds: 1, p99Milliseconds: 2),
        PgvectorSearchRow(efSearch: 40, recall: 0.96, qps: 400, p50Milliseconds: 1, p99Milliseconds: 2),
    ]

    @Test("QPS at a recall is interpolated between the bracketing rows")
    func interpolation() {
        let at90 = RecallCurve.qps(atRecall: 0.90, rows: Self.rows) ?? .nan
        #expect(abs(at90 - (1000 - 400 * (0.10 / 0.12))) < 1e-9)
        #expect(RecallCurve.qps(atRecall: 0.96, rows: Self.rows) == 400)
        #expect(RecallCurve.qps(atRecall: 0.5, rows: Self.rows) == 1000)
        #expect(RecallCurve.qps(atRecall: 0.99, rows: Self.rows) == nil)
        #expect(RecallCurve.headline(Self.rows).keys.sorted() == ["0.90", "0.95"])
        let p99 = RecallCurve.value(\.p99Milliseconds, atRecall: 0.90, rows: Self.rows)
        #expect(p99 == 2)
    }

    @Test("equal-recall rows divide vecd's QPS by pgvector's, and leave out what a curve never reaches")
    func equalRecallRows() {
        let faster = Self.rows.map {
            PgvectorSearchRow(
                efSearch: $0.efSearch, recall: $0.recall, qps: $0.qps * 2, p50Milliseconds: 0.5, p99Milliseconds: 1)
        }
        let rows = EqualRecallRow.rows(vecd: faster, pgvector: Self.rows)
        #expect(rows.map(\.recall) == [0.90, 0.95])
        #expect(rows.allSatisfy { abs(($0.qpsRatio ?? 0) - 2) < 1e-9 })
        #expect(rows[0].vecdP99Milliseconds == 1 && rows[0].pgvectorP99Milliseconds == 2)
        let short = EqualRecallRow.rows(vecd: Array(faster.prefix(2)), pgvector: Self.rows)
        #expect(short[1].vecdQPS == nil && short[1].qpsRatio == nil && short[1].pgvectorQPS != nil)
    }
}

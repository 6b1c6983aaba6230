import Foundation
import VecdBench
import VecdIndex
import VecdKernels
import VecdPostgres

extension PgvectorBenchmark {
    /// The benchmark `vecd bench ann` runs, with this benchmark's settings: f32 vectors (pgvector's `vector`),
    /// cosine (`vector_cosine_ops`), the same m, efConstruction, k, efSearch values and warm-up, and as many build
    /// threads as pgvector has build processes.
    public func vecdBenchmark(dimension: Int) -> ANNBenchmark {
        var benchmark = ANNBenchmark(
            parameters: HNSWParameters(
                dimension: dimension, metric: .cosine, m: index.m, efConstruction: index.efConstruction,
                storage: .float32),
            k: k, efSearchValues: efSearchValues, threads: index.parallelWorkers + 1)
        benchmark.warmupQueries = warmupQueries
        return benchmark
    }

    /// Loads the same data into pgvector and into an in-process vecd index, then measures both at each efSearch —
    /// vecd's pass, then pgvector's, so the two see the same machine load — and compares them at equal recall.
    /// Builds run one after the other (pgvector first) with the same number of workers. See
    /// ``EngineComparisonReport`` for what is and is not compared.
    public func runComparison(
        base: VectorMatrix<Float>, queries: VectorMatrix<Float>, truth: VectorMatrix<Int32>,
        log: @escaping @Sendable (String) -> Void
    ) throws -> EngineComparisonReport {
        let loaded = try load(base: base, queries: queries, truth: truth, log: log)
        defer { loaded.dropUnless(keepTable) }
        let vecd = vecdBenchmark(dimension: base.dimension)
        log(
            "vecd bench ann (in process): \(base.rows) base × \(base.dimension), m=\(index.m), "
                + "ef_construction=\(index.efConstruction), storage=f32, threads=\(vecd.threads)")
        let (vecdIndex, vecdBuildSeconds) = try vecd.build(base: base, log: log)
        let roundTrip = try PgvectorRoundTrip.measure(
            loaded.items.connection, queries: queries, warmupQueries: warmupQueries)
        log(
            String(
                format: "pgvector round trip without search: %.1f per second, p50 %.3f ms, p99 %.3f ms",
                roundTrip.qps, roundTrip.p50Milliseconds, roundTrip.p99Milliseconds))

        var vecdRows: [ANNBenchmarkReport.Row] = []
        var pgvectorRows: [PgvectorSearchRow] = []
        for efSearch in efSearchValues {
            var pass = vecd
            pass.efSearchValues = [efSearch]
            vecdRows += try pass.measure(vecdIndex, queries: queries, truth: truth) { log("vecd:     " + $0) }
            let row = try loaded.items.measure(
                efSearch: efSearch, k: k, queries: queries, truth: truth, warmupQueries: warmupQueries)
            pgvectorRows.append(row)
            log("pgvector: " + Self.describe(row))
        }
        let vecdReport = vecd.report(
            vecdIndex, buildSeconds: vecdBuildSeconds, baseRows: base.rows, queryRows: queries.rows, rows: vecdRows)
        return EngineComparisonReport(
            vecd: vecdReport, pgvector: report(loaded, base: base, queries: queries, rows: pgvectorRows),
            pgvectorRoundTrip: roundTrip,
            equalRecall: EqualRecallRow.rows(vecd: vecdRows.map(PgvectorSearchRow.init), pgvector: pgvectorRows),
            method: "same data, queries and truth; m \(index.m), ef_construction \(index.efConstruction), "
                + "\(index.parallelWorkers + 1) build worker(s) each; one query at a time on one thread after "
                + "\(warmupQueries) warm-up queries, vecd's pass then pgvector's at each ef_search; vecd in process, "
                + "pgvector through a prepared statement over its socket (pgvector_round_trip: that path without "
                + "a search)")
    }
}

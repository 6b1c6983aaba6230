import ArgumentParser
import Foundation
import VecdBench
import VecdIndex
import VecdKernels
import VecdPostgres
import VecdPgvectorBench

/// The JSON `vecd bench churn --json` writes: `{"vecd": {…}, "pgvector": {…}}` (pgvector only with --pgvector-url).
struct ChurnBenchOutput: Codable {
    var vecd: ChurnReport
    var pgvector: PgvectorChurnReport?
}

/// `vecd bench churn`: does recall decay with inserts and deletes, and what do searches feel while compaction runs?
struct BenchChurnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "churn",
        abstract:
            "Recall@k after churn (build half, insert half, delete 30%) vs a fresh build, before and after compaction.",
        discussion: """
            Runs through a durable collection (WAL, segments, online compaction) in a scratch directory. Row r is
            stored under id r; ground truth over the live rows is computed exactly. The efSearch compared is the
            smallest one at which a fresh build of the live rows reaches recall 0.90. Search latency is measured idle
            and while the compaction runs on another thread. With --pgvector-url the same protocol runs on pgvector
            with the same data and deleted rows (REINDEX where vecd compacts).
            """
    )

    @Option(help: "Base vectors (.fvecs or .npy).") var base: String?
    @Option(help: "Query vectors (.fvecs or .npy).") var queries: String?
    @Option(help: "Accepted as in bench ann and not read: churn computes ground truth over the live rows.")
    var truth: String?
    @Option(help: "Generate this many clustered base vectors instead of reading files.") var generate: Int?
    @Option(help: "Dimension of generated vectors.") var dimension = 384
    @Option(help: "Number of generated queries, or the first N queries of --queries.") var queryCount: Int?
    @Option(help: "Neighbours per query.") var k = 10
    @Option(help: "Distance metric: cosine, dot or l2.") var metric: String = "cosine"
    @Option(help: "HNSW links per node (upper layers; the ground layer keeps 2m).") var m = HNSWParameters.defaultM
    @Option(help: "Candidate list size while building.") var efConstruction = HNSWParameters.defaultEFConstruction
    @Option(help: "efSearch sweep that finds the target (then bisected).") var efSearch = "10,20,40,64,100,200,400,800"
    @Option(help: "Threads of the builds and inserts (default: all cores).") var threads: Int?
    @Option(help: "Threads of the compaction's graph build.") var compactionThreads = 1
    @Option(help: "The collection's automatic flush threshold in rows.") var flushRows = 50_000
    @Option(help: "Vectors the graph walk reads: f32, f16 or int8.") var storage = "f32"
    @Option(help: "Seed of the random deletions (both engines delete the same rows).") var seed: UInt64 = 42
    @Option(help: "Untimed searches before each timed pass.") var warmup = 200
    @Option(help: "Directory for the scratch collections (default: the temporary directory).") var scratch: String?
    @Option(help: "Also run the protocol on this PostgreSQL + pgvector (libpq URL).") var pgvectorURL: String?
    @Option(help: "pgvector table prefix.") var pgvectorTable = "vecd_bench_items"
    @Option(help: "Write the report as JSON to this path.") var json: String?

    var efSearchValues: [Int] {
        efSearch.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    func validate() throws {
        if generate == nil && (base == nil || queries == nil) {
            throw ValidationError("give --base and --queries, or --generate N")
        }
        guard let parsed = DistanceMetric(rawValue: metric) else {
            throw ValidationError("--metric must be cosine, dot or l2")
        }
        if pgvectorURL != nil && parsed != .cosine {
            throw ValidationError("--pgvector-url compares cosine only (vector_cosine_ops)")
        }
        guard VectorStorageMode(rawValue: storage) != nil else {
            throw ValidationError("--storage must be f32, f16 or int8")
        }
        guard !efSearchValues.isEmpty else { throw ValidationError("--ef-search needs at least one integer") }
        guard compactionThreads >= 1, threads ?? 1 >= 1 else {
            throw ValidationError("thread counts must be at least 1")
        }
        guard flushRows >= 1 else { throw ValidationError("--flush-rows must be at least 1") }
        try requireArgument(k, in: SearchParameters.kRange, "--k")
        for value in efSearchValues { try requireArgument(value, in: SearchParameters.efSearchRange, "--ef-search") }
        if let queryCount { try requireArgument(queryCount, in: 1...10_000_000, "--query-count") }
        if let generate {
            // Churn deletes and re-inserts a share of the base set and scores k neighbours of each query.
            try requireArgument(generate, in: max(4, k)...100_000_000, "--generate (at least 4 and at least --k)")
            try requireArgument(dimension, in: HNSWParameters.dimensionRange, "--dimension")
        }
    }

    func run() throws {
        let metric = DistanceMetric(rawValue: self.metric)!
        let (baseSet, querySet) = try loadData()
        let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let parameters = HNSWParameters(
            dimension: baseSet.dimension, metric: metric, m: m, efConstruction: efConstruction,
            storage: VectorStorageMode(rawValue: storage)!)
        var benchmark = ChurnBenchmark(
            parameters: parameters, k: k, efSearchValues: efSearchValues, seed: seed, buildThreads: workers)
        benchmark.compactionThreads = compactionThreads
        benchmark.flushRowCount = flushRows
        benchmark.warmupQueries = warmup
        if let scratch { benchmark.scratchDirectory = scratch }
        let log: @Sendable (String) -> Void = { line in
            print(line)
            fflush(nil)  // progress must show while a long build runs
        }
        let report = try benchmark.run(base: baseSet, queries: querySet, log: log)
        print(
            String(
                format: "vecd churn at ef_search %d: fresh %.4f, churned %.4f, flushed %.4f, compacted %.4f; "
                    + "p99 idle %.3f ms, during compaction %.3f ms (%.2f×)",
                report.targetEfSearch, report.fresh.recall, report.churned.recall, report.flushed.recall,
                report.compacted.recall, report.idleLatency.p99Milliseconds,
                report.duringCompactionLatency.p99Milliseconds, report.p99RatioDuringCompaction))
        var output = ChurnBenchOutput(vecd: report, pgvector: nil)
        if let pgvectorURL {
            var pgvector = PgvectorBenchmark(
                url: pgvectorURL, table: pgvectorTable,
                index: PgvectorIndexSettings(m: m, efConstruction: efConstruction, parallelWorkers: workers - 1),
                k: k, efSearchValues: efSearchValues)
            pgvector.warmupQueries = warmup
            let churn = try pgvector.runChurn(base: baseSet, queries: querySet, seed: seed) { log($0) }
            output.pgvector = churn
            print(
                String(
                    format:
                        "pgvector churn at ef_search %d: fresh %.4f, churned %.4f, after VACUUM %.4f, after REINDEX %.4f",
                    churn.targetEfSearch, churn.fresh.recall, churn.churned.recall, churn.vacuumed.recall,
                    churn.reindexed.recall))
        }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(output).write(to: URL(fileURLWithPath: json))
            print("wrote \(json)")
        }
    }

    private func loadData() throws -> (VectorMatrix<Float>, VectorMatrix<Float>) {
        if let generate {
            print("generating \(generate) clustered vectors of \(dimension) dims…")
            let base = SyntheticVectors.clustered(rows: generate, dimension: dimension, seed: 0x1234_0000)
            let queries = SyntheticVectors.clustered(rows: queryCount ?? 1000, dimension: dimension, seed: 0x1234_0001)
            return (base, queries)
        }
        let base = try VectorFile.readFloats(self.base!)
        var queries = try VectorFile.readFloats(self.queries!)
        guard base.dimension == queries.dimension else {
            throw ValidationError("base has \(base.dimension) dimensions, queries \(queries.dimension)")
        }
        if let queryCount, queryCount < queries.rows {
            queries = VectorMatrix(
                rows: queryCount, dimension: queries.dimension,
                values: Array(queries.values.prefix(queryCount * queries.dimension)))
        }
        return (base, queries)
    }
}

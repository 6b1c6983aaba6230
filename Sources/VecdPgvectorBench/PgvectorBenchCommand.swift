import Foundation
import VecdBench
import VecdPostgres

/// The options of `vecd bench pgvector`, as the CLI parses them.
public struct PgvectorBenchOptions: Sendable {
    /// libpq URL of the server.
    public var url: String
    /// `.fvecs` or `.npy` files (row i of the base set gets id i; truth rows hold base row numbers).
    public var basePath: String
    /// Query vectors (`.fvecs` or `.npy`).
    public var queriesPath: String
    /// Ground-truth neighbour ids (`.ivecs` or `.npy`), row i for query i.
    public var truthPath: String
    /// Neighbours per query (recall@k).
    public var k = 10
    /// HNSW build settings (m, ef_construction, build processes).
    public var index = PgvectorIndexSettings()
    /// The efSearch values to measure.
    public var efSearchValues = [10, 20, 40, 64, 100, 200, 400, 800]
    /// Table name prefix; the churn protocol adds `_churn` and `_fresh`.
    public var table = "vecd_bench_items"
    /// Run the ANN protocol.
    public var runANN = true
    /// Run the churn protocol (it computes its own ground truth over the live rows).
    public var runChurn = true
    /// Seed of the churn protocol's random deletions.
    public var seed: UInt64 = 42
    /// Untimed queries before each efSearch's timed run.
    public var warmupQueries = 200
    /// Where to write the JSON report, if anywhere.
    public var jsonPath: String?
    /// Measure vecd on the same data too (in process, through `vecd bench ann`'s and `vecd bench churn`'s code),
    /// or pgvector alone.
    public var includeVecd = true
    /// Where vecd's churn protocol puts its scratch collections (default: the temporary directory).
    public var scratchDirectory: String?

    /// Options with the protocol's defaults for everything but the server and the files.
    public init(url: String, basePath: String, queriesPath: String, truthPath: String) {
        self.url = url
        self.basePath = basePath
        self.queriesPath = queriesPath
        self.truthPath = truthPath
    }
}

/// The JSON `vecd bench pgvector --json` writes: `{"ann": {…}, "comparison": {…}, "churn": {…}, "vecd_churn": {…},
/// "machine": {…}}` (a part is absent when not run).
public struct PgvectorBenchOutput: Codable, Sendable {
    /// The ANN protocol's report, if it ran.
    public var ann: PgvectorBenchmarkReport?
    /// The churn protocol's report, if it ran.
    public var churn: PgvectorChurnReport?
    /// vecd against pgvector on the ANN protocol (with ``PgvectorBenchOptions/includeVecd``); its `pgvector` part is
    /// ``ann``.
    public var comparison: EngineComparisonReport?
    /// vecd's side of the churn protocol (with ``PgvectorBenchOptions/includeVecd``).
    public var vecdChurn: ChurnReport?
    /// CPU count and load average around the run.
    public var machine = MachineLoad()

    enum CodingKeys: String, CodingKey {
        case ann, churn, comparison, vecdChurn = "vecd_churn", machine
    }

    /// How busy the machine was: QPS and build times on a shared machine mean little without it.
    public struct MachineLoad: Codable, Sendable {
        /// CPUs this process may use.
        public var cpus = ProcessInfo.processInfo.activeProcessorCount
        /// The 1-minute load average when the run started and when it ended (nil where /proc is missing).
        public var loadAverageStart = MachineLoad.oneMinuteLoadAverage()
        /// The 1-minute load average when the run ended.
        public var loadAverageEnd: Double?

        enum CodingKeys: String, CodingKey {
            case cpus, loadAverageStart = "load_average_start", loadAverageEnd = "load_average_end"
        }

        static func oneMinuteLoadAverage() -> Double? {
            guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
            return text.split(separator: " ").first.flatMap { Double($0) }
        }
    }
}

/// The body of `vecd bench pgvector`: reads the data files, runs the chosen protocols on pgvector at `options.url`
/// and (unless told otherwise) on vecd with the same data and settings, prints progress and the comparison
/// tables through `print`, and writes the JSON report.
public enum PgvectorBenchCommand {
    /// Runs the protocols `options` selects; `print` receives progress and summary lines. Throws
    /// `VectorFileError` for unreadable files, ``PostgresError`` for everything on the server side, and
    /// `IndexError`/`StorageError` from vecd's side.
    public static func run(
        _ options: PgvectorBenchOptions, print: @escaping @Sendable (String) -> Void
    ) throws -> PgvectorBenchOutput {
        let base = try VectorFile.readFloats(options.basePath)
        let queries = try VectorFile.readFloats(options.queriesPath)
        var benchmark = PgvectorBenchmark(
            url: options.url, table: options.table, index: options.index, k: options.k,
            efSearchValues: options.efSearchValues)
        benchmark.warmupQueries = options.warmupQueries
        var output = PgvectorBenchOutput()
        if let load = output.machine.loadAverageStart {
            print(String(format: "machine: %d CPUs, load average %.2f", output.machine.cpus, load))
        }
        if options.runANN {
            let truth = try VectorFile.readInts(options.truthPath)
            if options.includeVecd {
                let comparison = try benchmark.runComparison(base: base, queries: queries, truth: truth, log: print)
                output.ann = comparison.pgvector
                output.comparison = comparison
                PgvectorBenchSummary.comparison(comparison).forEach(print)
            } else {
                let report = try benchmark.run(base: base, queries: queries, truth: truth, log: print)
                output.ann = report
                for (recall, qps) in report.qpsAtRecall.sorted(by: { $0.key < $1.key }) {
                    print(String(format: "pgvector QPS at recall %@: %.1f", recall, qps))
                }
            }
        }
        if options.runChurn {
            if options.includeVecd {
                var vecd = ChurnBenchmark(
                    parameters: benchmark.vecdBenchmark(dimension: base.dimension).parameters, k: options.k,
                    efSearchValues: options.efSearchValues, seed: options.seed,
                    buildThreads: options.index.parallelWorkers + 1)
                vecd.warmupQueries = options.warmupQueries
                if let scratch = options.scratchDirectory { vecd.scratchDirectory = scratch }
                output.vecdChurn = try vecd.run(base: base, queries: queries, log: print)
            }
            let report = try benchmark.runChurn(base: base, queries: queries, seed: options.seed, log: print)
            output.churn = report
            PgvectorBenchSummary.churn(vecd: output.vecdChurn, pgvector: report).forEach(print)
        }
        output.machine.loadAverageEnd = PgvectorBenchOutput.MachineLoad.oneMinuteLoadAverage()
        if let jsonPath = options.jsonPath {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(output).write(to: URL(fileURLWithPath: jsonPath))
            print("wrote \(jsonPath)")
        }
        return output
    }
}

import Foundation
import VecdBench

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

    /// Options with the protocol's defaults for everything but the server and the files.
    public init(url: String, basePath: String, queriesPath: String, truthPath: String) {
        self.url = url
        self.basePath = basePath
        self.queriesPath = queriesPath
        self.truthPath = truthPath
    }
}

/// The JSON `vecd bench pgvector --json` writes: `{"ann": {…}, "churn": {…}, "machine": {…}}` (a part is absent
/// when not run).
public struct PgvectorBenchOutput: Codable, Sendable {
    /// The ANN protocol's report, if it ran.
    public var ann: PgvectorBenchmarkReport?
    /// The churn protocol's report, if it ran.
    public var churn: PgvectorChurnReport?
    /// CPU count and load average around the run.
    public var machine = MachineLoad()

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

/// The body of `vecd bench pgvector`: reads the data files, runs the chosen protocols against the server at
/// `options.url`, prints progress and a summary through `print`, and writes the JSON report.
public enum PgvectorBenchCommand {
    /// Runs the protocols `options` selects; `print` receives progress and summary lines. Throws
    /// `VectorFileError` for unreadable files and ``PostgresError`` for everything on the server side.
    public static func run(_ options: PgvectorBenchOptions, print: (String) -> Void) throws -> PgvectorBenchOutput {
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
            let report = try benchmark.run(base: base, queries: queries, truth: truth, log: print)
            output.ann = report
            for (recall, qps) in report.qpsAtRecall.sorted(by: { $0.key < $1.key }) {
                print(String(format: "pgvector QPS at recall %@: %.1f", recall, qps))
            }
        }
        if options.runChurn {
            let report = try benchmark.runChurn(base: base, queries: queries, seed: options.seed, log: print)
            output.churn = report
            print(
                String(
                    format: "churn at ef_search %d: fresh %.4f, churned %.4f, after VACUUM %.4f, after REINDEX %.4f",
                    report.targetEfSearch, report.fresh.recall, report.churned.recall, report.vacuumed.recall,
                    report.reindexed.recall))
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

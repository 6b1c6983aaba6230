import ArgumentParser
import Foundation
import VecdBench
import VecdIndex
import VecdKernels

/// `vecd bench ann`: builds an HNSW index on a base set and reports recall@k, QPS and latency per efSearch.
struct BenchANNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ann",
        abstract: "Build an index and measure recall@k, QPS and latency per efSearch (one query at a time).",
        discussion: """
            Reads TEXMEX .fvecs/.ivecs (or .npy) files, or generates a clustered data set with --generate.
            Queries run one at a time on one thread after a warm-up; --threads sets the build's threads.
            memory_bytes is the RAM the index needs to serve (its own allocations), not the input copy.
            """
    )

    @Option(help: "Base vectors (.fvecs or .npy).") var base: String?
    @Option(help: "Query vectors (.fvecs or .npy).") var queries: String?
    @Option(help: "Ground-truth neighbour ids (.ivecs or .npy), row i for query i.") var truth: String?
    @Option(help: "Their exact distances (.fvecs or .npy): recall then counts ties with the k-th as right answers.")
    var truthDistances: String?
    @Option(help: "Generate this many clustered base vectors instead of reading files.") var generate: Int?
    @Option(help: "Dimension of generated vectors.") var dimension = 384
    @Option(help: "Number of generated queries.") var queryCount = 1000
    @Option(help: "Neighbours per query.") var k = 10
    @Option(help: "Distance metric: cosine, dot or l2.") var metric: String = "cosine"
    @Option(help: "HNSW links per node (upper layers; the ground layer keeps 2m).") var m = HNSWParameters.defaultM
    @Option(help: "Candidate list size while building.") var efConstruction = HNSWParameters.defaultEFConstruction
    @Option(help: "Comma-separated efSearch values.") var efSearch = "10,20,40,64,100,200,400,800"
    @Option(help: "Build threads (default: all cores).") var threads: Int?
    @Option(help: "Vectors the graph walk reads: f32, f16 or int8 (exact Float32 re-rank).") var storage = "f32"
    @Option(help: "Write the report as JSON to this path.") var json: String?

    func validate() throws {
        if generate == nil && (base == nil || queries == nil || truth == nil) {
            throw ValidationError("give --base, --queries and --truth, or --generate N")
        }
        guard DistanceMetric(rawValue: metric) != nil else { throw ValidationError("--metric must be cosine, dot or l2") }
        guard VectorStorageMode(rawValue: storage) != nil else { throw ValidationError("--storage must be f32, f16 or int8") }
        guard !efSearchValues.isEmpty else { throw ValidationError("--ef-search needs at least one integer") }
        try requireArgument(k, in: SearchParameters.kRange, "--k")
        try requireArgument(m, in: HNSWParameters.mRange, "--m")
        try requireArgument(efConstruction, in: HNSWParameters.efConstructionRange, "--ef-construction")
        for value in efSearchValues { try requireArgument(value, in: SearchParameters.efSearchRange, "--ef-search") }
        if let threads { try requireArgument(threads, in: 1...1_024, "--threads") }
        if let generate {
            // Exact ground truth needs k neighbours of every query, so the base set holds at least k vectors.
            try requireArgument(generate, in: k...100_000_000, "--generate (at least --k)")
            try requireArgument(dimension, in: HNSWParameters.dimensionRange, "--dimension")
            try requireArgument(queryCount, in: 1...10_000_000, "--query-count")
        }
    }

    var efSearchValues: [Int] { efSearch.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func run() throws {
        let metric = DistanceMetric(rawValue: self.metric)!
        let (baseSet, querySet, truthSet) = try loadData(metric: metric)
        let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let parameters = HNSWParameters(
            dimension: baseSet.dimension, metric: metric, m: m, efConstruction: efConstruction,
            storage: VectorStorageMode(rawValue: storage)!)
        var benchmark = ANNBenchmark(parameters: parameters, k: k, efSearchValues: efSearchValues, threads: workers)
        if let truthDistances {
            let distances = try VectorFile.readFloats(truthDistances)
            guard distances.rows >= querySet.rows, distances.dimension >= k else {
                throw ValidationError("--truth-distances has \(distances.rows)×\(distances.dimension); "
                                      + "need \(querySet.rows) rows of at least k=\(k)")
            }
            benchmark.truthDistances = distances
        }
        print("vecd bench ann: \(baseSet.rows) base × \(baseSet.dimension), \(querySet.rows) queries, k=\(k), "
              + "metric=\(metric.rawValue), m=\(m), ef_construction=\(efConstruction), storage=\(storage), threads=\(workers)")
        let report = try benchmark.run(base: baseSet, queries: querySet, truth: truthSet) { line in
            print(line)
            fflush(nil)  // flush all streams: progress must show while a long build runs
        }
        print(String(format: "memory_bytes %d (%.1f MiB, %.0f B/vector)  process RSS %.1f MiB",
                     report.memoryBytes, Double(report.memoryBytes) / 1_048_576,
                     Double(report.memoryBytes) / Double(baseSet.rows), Double(report.processRSSBytes) / 1_048_576))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
            print("wrote \(json)")
        }
    }

    private func loadData(metric: DistanceMetric) throws -> (VectorMatrix<Float>, VectorMatrix<Float>, VectorMatrix<Int32>) {
        if let generate {
            print("generating \(generate) clustered vectors of \(dimension) dims and exact ground truth…")
            let base = SyntheticVectors.clustered(rows: generate, dimension: dimension, seed: 0x1234_0000)
            let queries = SyntheticVectors.clustered(rows: queryCount, dimension: dimension, seed: 0x1234_0001)
            let truth = ExactNeighbors.compute(base: base, queries: queries, k: k, metric: metric,
                                               threads: ProcessInfo.processInfo.activeProcessorCount)
            return (base, queries, truth)
        }
        let base = try VectorFile.readFloats(self.base!)
        let queries = try VectorFile.readFloats(self.queries!)
        let truth = try VectorFile.readInts(self.truth!)
        guard base.dimension == queries.dimension else {
            throw ValidationError("base has \(base.dimension) dimensions, queries \(queries.dimension)")
        }
        guard truth.rows >= queries.rows, truth.dimension >= k else {
            throw ValidationError("truth has \(truth.rows)×\(truth.dimension); need \(queries.rows) rows of at least k=\(k)")
        }
        return (base, queries, truth)
    }
}

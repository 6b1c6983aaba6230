import ArgumentParser
import Foundation
import VecdBench
import VecdIndex
import VecdKernels

/// `vecd bench filtered`: recall and cost of filtered search per selectivity, for uncorrelated and correlated filters.
struct BenchFilteredCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filtered",
        abstract: "Measure filtered search (recall@k vs exact among allowed rows, plan chosen, cost) per selectivity.",
        discussion: """
            Uncorrelated filters allow a random subset; correlated ones allow only the rows farthest from each query.
            --expand-to grows the base set with noisy copies of its rows (see BENCHMARKS.md) to reach 100k+ rows.
            """
    )

    @Option(help: "Base vectors (.fvecs or .npy).") var base: String
    @Option(help: "Query vectors (.fvecs or .npy).") var queries: String
    @Option(help: "Grow the base set to this many rows with noisy copies.") var expandTo: Int?
    @Option(help: "Noise per component for --expand-to copies.") var noise: Float = 0.01
    @Option(help: "Queries to run (the first N of the file).") var queryCount = 200
    @Option(help: "Neighbours per query.") var k = 10
    @Option(help: "efSearch for the filtered walk.") var efSearch = 64
    @Option(help: "Comma-separated selectivities.") var selectivities = "0.01,0.05,0.10,0.30"
    @Option(help: "Distance metric.") var metric = "cosine"
    @Option(help: "Build threads (default: all cores).") var threads: Int?
    @Option(help: "Write the rows as JSON to this path.") var json: String?

    func run() throws {
        guard let metric = DistanceMetric(rawValue: metric) else { throw ValidationError("unknown metric \(self.metric)") }
        var baseSet = try VectorFile.readFloats(base)
        if let expandTo { baseSet = SyntheticVectors.expand(baseSet, to: expandTo, noise: noise, seed: 0xF117) }
        let querySet = try VectorFile.readFloats(queries)
        let used = VectorMatrix(rows: min(queryCount, querySet.rows), dimension: querySet.dimension,
                                values: Array(querySet.values.prefix(min(queryCount, querySet.rows) * querySet.dimension)))
        let index = try HNSWIndex(parameters: HNSWParameters(dimension: baseSet.dimension, metric: metric))
        let clock = ContinuousClock()
        let start = clock.now
        _ = try baseSet.values.withUnsafeBufferPointer {
            try index.add($0, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        }
        print(String(format: "built %d × %d in %.1f s", baseSet.rows, baseSet.dimension, (clock.now - start).seconds))
        let benchmark = FilteredBenchmark(
            k: k, efSearch: efSearch,
            selectivities: selectivities.split(separator: ",").compactMap { Double($0) })
        let rows = try benchmark.run(index: index, base: baseSet, queries: used, metric: metric) { print($0); fflush(nil) }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(rows).write(to: URL(fileURLWithPath: json))
        }
    }
}

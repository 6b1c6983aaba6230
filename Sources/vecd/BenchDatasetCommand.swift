import ArgumentParser
import Foundation
import VecdBench
import VecdIndex
import VecdKernels

/// What `vecd bench dataset` writes beside the files: how the grown set's nearest-neighbour distances compare with
/// the source's.
struct NeighborDistanceCheck: Codable {
    var sourceRows: Int
    var rows: Int
    var noiseScale: Float
    var seed: UInt64
    /// Each sampled row's cosine distance to its nearest other row (exact index), in the source and the grown set.
    var sourceBaseNearest: DistanceQuantiles
    var grownBaseNearest: DistanceQuantiles
    /// Two-sample Kolmogorov–Smirnov statistic between those two samples (0: same distribution).
    var baseNearestKS: Double
    /// Each query's distance to its nearest base row, in the source and the grown set.
    var sourceQueryNearest: DistanceQuantiles
    var grownQueryNearest: DistanceQuantiles
    var queryNearestKS: Double

    enum CodingKeys: String, CodingKey {
        case sourceRows = "source_rows"
        case rows
        case noiseScale = "noise_scale"
        case seed
        case sourceBaseNearest = "source_base_nearest"
        case grownBaseNearest = "grown_base_nearest"
        case baseNearestKS = "base_nearest_ks"
        case sourceQueryNearest = "source_query_nearest"
        case grownQueryNearest = "grown_query_nearest"
        case queryNearestKS = "query_nearest_ks"
    }
}

/// `vecd bench dataset`: grows a real embedding set to N rows with the same nearest-neighbour distances, and writes
/// it with exact ground truth from vecd's exact index.
struct BenchDatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Grow a base set to N rows matching its nearest-neighbour distances; write fvecs/ivecs + truth.",
        discussion: """
            Every new row is a copy of source row (j mod source rows) plus Gaussian noise whose scale puts copies of
            a source at that source's own nearest-neighbour distance (see NeighborMatchedExpansion). Ground truth
            comes from FlatIndex (exact, vecd's kernels). Writes base.fvecs, query.fvecs, gt.ivecs and
            neighbor-distances.json (the distribution check) to --out.
            """
    )

    @Option(help: "Source base vectors (.fvecs or .npy).") var base: String
    @Option(help: "Query vectors (.fvecs or .npy), copied to the output.") var queries: String
    @Option(help: "Use only the first N queries (ground truth over 1M rows costs a full scan per query).")
    var queryCount: Int?
    @Option(help: "Rows of the grown set.") var rows: Int
    @Option(help: "Noise variance scale (1 aims at the source's distances).") var noiseScale: Float = 1
    @Option(help: "Rows sampled for the distribution check.") var sample = 500
    @Option(help: "Ground-truth neighbours per query.") var k = 10
    @Option(help: "Seed of the noise and the sample.") var seed: UInt64 = 0x5EED_0384
    @Option(help: "Threads (default: all cores).") var threads: Int?
    @Option(help: "Output directory.") var out: String

    func validate() throws {
        guard rows >= 1, sample >= 1, k >= 1 else { throw ValidationError("--rows, --sample and --k must be positive") }
    }

    func run() throws {
        let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let source = try VectorFile.readFloats(base)
        var querySet = try VectorFile.readFloats(queries)
        if let queryCount, queryCount < querySet.rows {
            querySet = VectorMatrix(
                rows: queryCount, dimension: querySet.dimension,
                values: Array(querySet.values.prefix(queryCount * querySet.dimension)))
        }
        guard source.dimension == querySet.dimension else {
            throw ValidationError("base has \(source.dimension) dimensions, queries \(querySet.dimension)")
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let clock = ContinuousClock()
        var start = clock.now
        let sourceDistances = try NeighborMatchedExpansion.sourceNeighborDistances(
            source, metric: .cosine, threads: workers)
        say(
            String(
                format: "source neighbour distances (HNSW, %d rows): %.1f s", source.rows, (clock.now - start).seconds))
        start = clock.now
        let grown = NeighborMatchedExpansion.expand(
            source, to: rows, neighborDistances: sourceDistances, scale: noiseScale, seed: seed)
        say(String(format: "grew to %d rows: %.1f s", rows, (clock.now - start).seconds))

        start = clock.now
        let sourceIndex = try ExactIndexTruth.index(source, metric: .cosine)
        let grownIndex = try ExactIndexTruth.index(grown, metric: .cosine)
        var generator = SeededGenerator(seed: seed ^ 0xA11CE)
        let sourceSample = Array((0..<source.rows).shuffled(using: &generator).prefix(sample))
        let grownSample = (0..<min(sample, rows)).map { _ in Int(generator.next() % UInt64(rows)) }
        let sourceBase = try ExactIndexTruth.nearestOtherDistances(
            rows: sourceSample, of: source, in: sourceIndex, threads: workers)
        let grownBase = try ExactIndexTruth.nearestOtherDistances(
            rows: grownSample, of: grown, in: grownIndex, threads: workers)
        let sourceQuery = try ExactIndexTruth.neighbors(of: querySet, in: sourceIndex, k: 1, threads: workers)
        say(String(format: "distribution samples: %.1f s", (clock.now - start).seconds))
        start = clock.now
        let truth = try ExactIndexTruth.neighbors(of: querySet, in: grownIndex, k: k, threads: workers)
        say(
            String(
                format: "exact ground truth (FlatIndex, %d queries × %d rows): %.1f s", querySet.rows, rows,
                (clock.now - start).seconds))

        let check = NeighborDistanceCheck(
            sourceRows: source.rows, rows: rows, noiseScale: noiseScale, seed: seed,
            sourceBaseNearest: DistanceQuantiles(sourceBase), grownBaseNearest: DistanceQuantiles(grownBase),
            baseNearestKS: Self.kolmogorovSmirnov(sourceBase, grownBase),
            sourceQueryNearest: DistanceQuantiles(sourceQuery.distances.values),
            grownQueryNearest: DistanceQuantiles((0..<querySet.rows).map { truth.distances.values[$0 * k] }),
            queryNearestKS: Self.kolmogorovSmirnov(
                sourceQuery.distances.values, (0..<querySet.rows).map { truth.distances.values[$0 * k] }))
        say("base→nearest  source: " + check.sourceBaseNearest.summary)
        say(
            "base→nearest  grown:  " + check.grownBaseNearest.summary + String(format: "  KS %.3f", check.baseNearestKS)
        )
        say("query→nearest source: " + check.sourceQueryNearest.summary)
        say(
            "query→nearest grown:  " + check.grownQueryNearest.summary
                + String(format: "  KS %.3f", check.queryNearestKS))

        let directory = URL(fileURLWithPath: out)
        try VectorFile.writeFvecs(grown, to: directory.appendingPathComponent("base.fvecs").path)
        try VectorFile.writeFvecs(querySet, to: directory.appendingPathComponent("query.fvecs").path)
        try VectorFile.writeIvecs(truth.ids, to: directory.appendingPathComponent("gt.ivecs").path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(check).write(to: directory.appendingPathComponent("neighbor-distances.json"))
        say("wrote \(out)/{base.fvecs,query.fvecs,gt.ivecs,neighbor-distances.json}")
    }

    private func say(_ line: String) {
        print(line)
        fflush(nil)
    }

    /// The largest gap between the two samples' empirical distribution functions.
    static func kolmogorovSmirnov(_ a: [Float], _ b: [Float]) -> Double {
        let x = a.sorted()
        let y = b.sorted()
        guard !x.isEmpty, !y.isEmpty else { return 0 }
        var i = 0
        var j = 0
        var largest = 0.0
        while i < x.count && j < y.count {
            let value = min(x[i], y[j])
            while i < x.count && x[i] <= value { i += 1 }
            while j < y.count && y[j] <= value { j += 1 }
            largest = max(largest, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
        }
        return largest
    }
}

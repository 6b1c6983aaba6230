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
    var method: String
    var noiseScale: Float
    /// Interpolation only: source neighbours per row and the largest step towards one.
    var neighbors: Int?
    var reach: Float?
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
        case method
        case noiseScale = "noise_scale"
        case neighbors
        case reach
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
            Row j is anchored on source row a = j mod source rows.
            --method interpolate (default): row j = normalize(a + t(b - a)) plus Gaussian noise, b one of a's
            --neighbors nearest source rows, t uniform in [0, --reach); the noise variance is --noise-scale (default
            \(Self.defaultInterpolationNoise)) times what would put a noisy copy at a's own nearest-neighbour
            distance. A query's nearest rows then come from several sources at distinct distances, as in real data.
            --method noisy-copies: row j = a plus Gaussian noise that puts copies of a at a's own nearest-neighbour
            distance (--noise-scale default 1); a query's top-10 are then ~10 of a source's ~N/source near-tied
            copies, which no real set of embeddings looks like.
            Both aim at the source's nearest-neighbour cosine distances; neighbor-distances.json reports how close
            they come (quantiles and two-sample KS statistics). Ground truth comes from FlatIndex (exact, vecd's
            kernels). Writes base.fvecs, query.fvecs, gt.ivecs and neighbor-distances.json to --out.
            """
    )

    @Option(help: "Source base vectors (.fvecs or .npy).") var base: String
    @Option(help: "Query vectors (.fvecs or .npy), copied to the output.") var queries: String
    @Option(help: "Use only the first N queries (ground truth over 1M rows costs a full scan per query).")
    var queryCount: Int?
    @Option(help: "Rows of the grown set.") var rows: Int
    @Option(help: "How to grow: interpolate or noisy-copies.") var method: String = GrowthMethod.interpolate.rawValue
    @Option(help: "Noise variance scale (default: \(Self.defaultInterpolationNoise) for interpolate, 1 for noisy-copies).")
    var noiseScale: Float?
    @Option(help: "interpolate: nearest source rows each row may move towards.") var neighbors = 10
    @Option(help: "interpolate: largest step t towards the neighbour (0.5: halfway).") var reach: Float = 0.5
    @Option(help: "Rows sampled for the distribution check.") var sample = 500
    @Option(help: "Ground-truth neighbours per query.") var k = 10
    @Option(help: "Seed of the noise and the sample.") var seed: UInt64 = 0x5EED_0384
    @Option(help: "Threads (default: all cores).") var threads: Int?
    @Option(help: "Output directory.") var out: String

    /// Fitted on debian-384 grown to 1M (BENCHMARKS.md §6): the noise variance that brings the grown set's
    /// nearest-neighbour distances closest to the source's.
    static let defaultInterpolationNoise: Float = 1

    func validate() throws {
        guard rows >= 1, sample >= 1, k >= 1 else { throw ValidationError("--rows, --sample and --k must be positive") }
        guard GrowthMethod(rawValue: method) != nil else {
            throw ValidationError("--method must be one of \(GrowthMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard neighbors >= 1, reach > 0, reach <= 1 else { throw ValidationError("--neighbors ≥ 1 and 0 < --reach ≤ 1") }
        if let noiseScale, !(noiseScale >= 0) { throw ValidationError("--noise-scale must be ≥ 0") }
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
        let growth = GrowthMethod(rawValue: method)!
        let noise = noiseScale ?? (growth == .interpolate ? Self.defaultInterpolationNoise : 1)
        guard source.rows > neighbors else {
            throw ValidationError("the source has \(source.rows) rows; --neighbors must be fewer")
        }
        let sourceNeighbors = try NeighborMatchedExpansion.sourceNeighbors(
            source, k: growth == .interpolate ? neighbors : 1, metric: .cosine, threads: workers)
        say(
            String(
                format: "source neighbours (HNSW, %d rows): %.1f s", source.rows, (clock.now - start).seconds))
        start = clock.now
        let grown: VectorMatrix<Float>
        switch growth {
        case .interpolate:
            grown = NeighborMatchedExpansion.interpolate(
                source, to: rows, neighbors: sourceNeighbors, reach: reach, noiseScale: noise, seed: seed)
        case .noisyCopies:
            grown = NeighborMatchedExpansion.expand(
                source, to: rows, neighborDistances: (0..<source.rows).map(sourceNeighbors.nearestDistance),
                scale: noise, seed: seed)
        }
        say("grew to \(rows) rows (\(method)): " + String(format: "%.1f s", (clock.now - start).seconds))

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
            sourceRows: source.rows, rows: rows, method: method, noiseScale: noise,
            neighbors: growth == .interpolate ? neighbors : nil, reach: growth == .interpolate ? reach : nil, seed: seed,
            sourceBaseNearest: DistanceQuantiles(sourceBase), grownBaseNearest: DistanceQuantiles(grownBase),
            baseNearestKS: kolmogorovSmirnovStatistic(sourceBase, grownBase),
            sourceQueryNearest: DistanceQuantiles(sourceQuery.distances.values),
            grownQueryNearest: DistanceQuantiles((0..<querySet.rows).map { truth.distances.values[$0 * k] }),
            queryNearestKS: kolmogorovSmirnovStatistic(
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
}

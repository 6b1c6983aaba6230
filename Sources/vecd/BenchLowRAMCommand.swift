import ArgumentParser
import Foundation
import VecdBench
import VecdIndex
import VecdKernels

/// `vecd bench lowram`: memory and recall per storage mode, in memory and served from a mapped segment file.
struct BenchLowRAMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lowram",
        abstract: "Memory (memory_bytes, RSS, peak RSS) and recall@k of one storage mode, in memory and mapped.",
        discussion: """
            Builds the index in memory and measures it as `bench ann` does, writes it to a segment file (--segment),
            then starts a fresh vecd process (--serve) that maps the file and runs the same queries, so its RSS and
            peak RSS hold only what serving needs. Page cache is not dropped: the mapped figures are warm-cache.
            """
    )

    @Option(help: "Base vectors (.fvecs or .npy).") var base: String?
    @Option(help: "Query vectors (.fvecs or .npy).") var queries: String
    @Option(help: "Ground-truth neighbour ids (.ivecs or .npy), row i for query i.") var truth: String
    @Option(help: "Neighbours per query.") var k = 10
    @Option(help: "Distance metric: cosine, dot or l2.") var metric: String = "cosine"
    @Option(help: "HNSW links per node.") var m = HNSWParameters.defaultM
    @Option(help: "Candidate list size while building.") var efConstruction = HNSWParameters.defaultEFConstruction
    @Option(help: "Comma-separated efSearch values.") var efSearch = "64,128,256"
    @Option(help: "Build threads (default: all cores).") var threads: Int?
    @Option(help: "Vectors the graph walk reads: f32, f16 or int8 (exact Float32 re-rank).") var storage = "f32"
    @Option(help: "Segment file to write (build) and map (serve).") var segment: String
    @Flag(help: "Serve an existing --segment in this process instead of building (the child phase).")
    var serve = false
    @Option(help: "Write the report as JSON to this path.") var json: String?

    var efSearchValues: [Int] {
        efSearch.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    func validate() throws {
        if !serve && base == nil { throw ValidationError("give --base to build, or --serve to map --segment") }
        guard DistanceMetric(rawValue: metric) != nil else {
            throw ValidationError("--metric must be cosine, dot or l2")
        }
        guard VectorStorageMode(rawValue: storage) != nil else {
            throw ValidationError("--storage must be f32, f16 or int8")
        }
        guard !efSearchValues.isEmpty else { throw ValidationError("--ef-search needs at least one integer") }
    }

    func run() throws {
        let log: @Sendable (String) -> Void = { line in
            print(line)
            fflush(nil)
        }
        let querySet = try VectorFile.readFloats(queries)
        let truthSet = try VectorFile.readInts(truth)
        guard truthSet.rows >= querySet.rows, truthSet.dimension >= k else {
            throw ValidationError(
                "truth has \(truthSet.rows)×\(truthSet.dimension); need \(querySet.rows) rows of k=\(k)")
        }
        if serve {
            let report = try LowRAMServe.run(
                segment: segment, queries: querySet, truth: truthSet, k: k, efSearchValues: efSearchValues, log: log)
            try write(report)
            return
        }
        let inMemory = try buildAndMeasure(querySet: querySet, truthSet: truthSet, log: log)
        let childJSON = segment + ".serve.json"
        try serveInChild(json: childJSON)
        let mapped = try JSONDecoder().decode(
            MappedServeReport.self, from: Data(contentsOf: URL(fileURLWithPath: childJSON)))
        try? FileManager.default.removeItem(atPath: childJSON)
        try write(LowRAMReport(inMemory: inMemory, mapped: mapped))
    }

    /// The in-memory phase; the base set and the index are gone when it returns.
    private func buildAndMeasure(
        querySet: VectorMatrix<Float>, truthSet: VectorMatrix<Int32>, log: @escaping @Sendable (String) -> Void
    ) throws -> ANNBenchmarkReport {
        let baseSet = try VectorFile.readFloats(base!)
        let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let parameters = HNSWParameters(
            dimension: baseSet.dimension, metric: DistanceMetric(rawValue: metric)!, m: m,
            efConstruction: efConstruction, storage: VectorStorageMode(rawValue: storage)!)
        let benchmark = ANNBenchmark(parameters: parameters, k: k, efSearchValues: efSearchValues, threads: workers)
        log("vecd bench lowram: \(baseSet.rows) × \(baseSet.dimension), storage \(storage), in memory")
        let (index, buildSeconds) = try benchmark.build(base: baseSet, log: log)
        let rows = try benchmark.measure(index, queries: querySet, truth: truthSet, log: log)
        let report = benchmark.report(
            index, buildSeconds: buildSeconds, baseRows: baseSet.rows, queryRows: querySet.rows, rows: rows)
        log(String(format: "in memory: memory_bytes %d (%.1f MiB, %.0f B/vector), RSS %.1f MiB, peak %.1f MiB",
                   report.memoryBytes, Double(report.memoryBytes) / 1_048_576,
                   Double(report.memoryBytes) / Double(baseSet.rows), Double(report.processRSSBytes) / 1_048_576,
                   Double(report.processPeakRSSBytes ?? 0) / 1_048_576))
        try MappedSegmentIndex.write(index, to: segment)
        return report
    }

    /// Runs this executable again with --serve, so the mapped figures come from a process that never held the base
    /// set or built anything.
    private func serveInChild(json: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = [
            "bench", "lowram", "--serve", "--segment", segment, "--queries", queries, "--truth", truth,
            "--k", String(k), "--ef-search", efSearch, "--storage", storage, "--json", json,
        ]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("the serving process exited with status \(process.terminationStatus)")
        }
    }

    private func write(_ report: some Encodable) throws {
        guard let json else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(report).write(to: URL(fileURLWithPath: json))
        print("wrote \(json)")
    }
}

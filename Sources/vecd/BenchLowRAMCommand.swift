import ArgumentParser
import Foundation
import VecdBench
import VecdIndex
import VecdKernels
import VecdStorage

/// `vecd bench lowram`: memory and recall per storage mode, in memory and served from a mapped segment file.
struct BenchLowRAMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lowram",
        abstract: "Memory (memory_bytes, RSS, page cache) and recall@k per storage mode, in memory and mapped.",
        discussion: """
            Builds the index in memory in the first --storage mode and measures it as `bench ann` does, writes the
            graph as a segment file per --storage mode (one mode: --segment; several: --segment.MODE, compact codes
            derived from the Float32 rows, so every mode walks the same graph), then starts a fresh vecd process
            (--serve) per segment that maps it and runs the same queries, so its RSS holds only what serving needs.
            Compact segments serve in low-RAM mode (--row-access pread): the Float32 rows are not mapped and the
            re-rank reads its candidates' rows with pread; they are dropped from the page cache before serving.
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
    @Option(help: "Vectors the graph walk reads: f32, f16 or int8 (exact Float32 re-rank); a comma-separated list builds once, in the first mode (then f32), and writes a segment per mode.")
    var storage = "f32"
    @Option(help: "How compact segments' re-rank reads Float32 rows: pread (low-RAM) or mapped.")
    var rowAccess = "pread"
    @Option(help: "Segment file to write (build) and map (serve); with several --storage modes, PATH.MODE each.")
    var segment: String
    @Flag(help: "Serve an existing --segment in this process instead of building (the child phase).")
    var serve = false
    @Flag(help: "With --serve: drop the segment from the page cache before mapping it (a cold start).")
    var dropCache = false
    @Option(help: "Write the report as JSON to this path.") var json: String?

    var storageModes: [VectorStorageMode] {
        storage.split(separator: ",").compactMap { VectorStorageMode(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
    }

    func segmentPath(_ mode: VectorStorageMode) -> String {
        storageModes.count == 1 ? segment : segment + "." + mode.rawValue
    }

    var efSearchValues: [Int] {
        efSearch.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    func validate() throws {
        if !serve && base == nil { throw ValidationError("give --base to build, or --serve to map --segment") }
        guard DistanceMetric(rawValue: metric) != nil else {
            throw ValidationError("--metric must be cosine, dot or l2")
        }
        let modes = storage.split(separator: ",")
        guard !modes.isEmpty, modes.count == storageModes.count, Set(storageModes).count == modes.count else {
            throw ValidationError("--storage must list distinct modes among f32, f16 and int8")
        }
        guard storageModes.count == 1 || storageModes[0] == .float32 else {
            throw ValidationError("with several --storage modes the first must be f32 (the others derive from it)")
        }
        guard !serve || storageModes.count == 1 else { throw ValidationError("--serve maps one --storage mode") }
        guard rowAccess == "pread" || rowAccess == "mapped" else {
            throw ValidationError("--row-access must be pread or mapped")
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
                segment: segment, rowAccess: rowAccess == "pread" ? .readOnDemand : .mapped, queries: querySet,
                truth: truthSet, k: k, efSearchValues: efSearchValues, dropCache: dropCache, log: log)
            try write(report)
            return
        }
        let inMemory = try buildAndMeasure(querySet: querySet, truthSet: truthSet, log: log)
        var mapped: [MappedServeReport] = []
        for mode in storageModes {
            let childJSON = segmentPath(mode) + ".serve.json"
            try serveInChild(mode: mode, json: childJSON)
            mapped.append(
                try JSONDecoder().decode(
                    MappedServeReport.self, from: Data(contentsOf: URL(fileURLWithPath: childJSON))))
            try? FileManager.default.removeItem(atPath: childJSON)
        }
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
            efConstruction: efConstruction, storage: storageModes[0])
        let benchmark = ANNBenchmark(parameters: parameters, k: k, efSearchValues: efSearchValues, threads: workers)
        log("vecd bench lowram: \(baseSet.rows) × \(baseSet.dimension), built in \(storageModes[0].rawValue), in memory")
        let (index, buildSeconds) = try benchmark.build(base: baseSet, log: log)
        let rows = try benchmark.measure(index, queries: querySet, truth: truthSet, log: log)
        let report = benchmark.report(
            index, buildSeconds: buildSeconds, baseRows: baseSet.rows, queryRows: querySet.rows, rows: rows)
        log(String(format: "in memory: memory_bytes %d (%.1f MiB, %.0f B/vector), RSS %.1f MiB, peak %.1f MiB",
                   report.memoryBytes, Double(report.memoryBytes) / 1_048_576,
                   Double(report.memoryBytes) / Double(baseSet.rows), Double(report.processRSSBytes) / 1_048_576,
                   Double(report.processPeakRSSBytes ?? 0) / 1_048_576))
        for mode in storageModes {
            try LowRAMSegment.write(index, storage: mode, to: segmentPath(mode))
            log("wrote \(segmentPath(mode))")
        }
        return report
    }

    /// Runs this executable again with --serve, so the mapped figures come from a process that never held the base
    /// set or built anything.
    private func serveInChild(mode: VectorStorageMode, json: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = [
            "bench", "lowram", "--serve", "--segment", segmentPath(mode), "--queries", queries, "--truth", truth,
            "--k", String(k), "--ef-search", efSearch, "--storage", mode.rawValue, "--row-access", rowAccess,
            "--json", json,
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

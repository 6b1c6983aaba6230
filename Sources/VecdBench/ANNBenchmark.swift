import Foundation
import VecdIndex
import VecdKernels

/// What `vecd bench ann` measures, in the JSON schema it writes.
public struct ANNBenchmarkReport: Codable, Sendable {
    /// One efSearch setting's measurements.
    public struct Row: Codable, Sendable {
        public var efSearch: Int
        public var recall: Double
        public var qps: Double
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
        public var distancesPerQuery: Double
        public var hopsPerQuery: Double
        /// Queries per second of the query thread's CPU time: on a shared machine it stays close to the idle QPS
        /// while wall-clock QPS drops with whatever else runs.
        public var cpuQPS: Double
        /// CPU time of the query loop over its wall time (below ~0.95: another process took part of the core).
        public var cpuPerWall: Double

        enum CodingKeys: String, CodingKey {
            case efSearch = "ef_search", recall, qps, p50Milliseconds = "p50_ms", p99Milliseconds = "p99_ms"
            case distancesPerQuery = "distances_per_query", hopsPerQuery = "hops_per_query"
            case cpuQPS = "cpu_qps", cpuPerWall = "cpu_per_wall"
        }
    }

    public var buildSeconds: Double
    public var threads: Int
    /// RAM the index needs to serve: its own allocations (vectors, links, scratch), excluding the benchmark's input.
    public var memoryBytes: Int
    /// Resident set size of the whole process after the queries (input copies included).
    public var processRSSBytes: Int
    /// Peak resident set size of the whole process (VmHWM): the build's peak when the index was built here.
    /// Nil in reports written before it was recorded.
    public var processPeakRSSBytes: Int?
    /// CPU seconds the whole process spent in the build (all threads): beside ``buildSeconds`` it shows whether the
    /// build had its cores to itself (CPU ≈ wall × threads) and how much work the extra threads added.
    /// Nil when the index was not built by ``ANNBenchmark/run(base:queries:truth:log:)``.
    public var buildCPUSeconds: Double?
    public var storage: String
    public var metric: String
    public var m: Int
    public var efConstruction: Int
    public var k: Int
    public var baseRows: Int
    public var queryRows: Int
    public var dimension: Int
    public var rows: [Row]

    enum CodingKeys: String, CodingKey {
        case buildSeconds = "build_seconds", threads, memoryBytes = "memory_bytes", processRSSBytes = "process_rss_bytes"
        case processPeakRSSBytes = "process_peak_rss_bytes", buildCPUSeconds = "build_cpu_seconds"
        case storage, metric, m, efConstruction = "ef_construction", k, baseRows = "base_rows"
        case queryRows = "query_rows", dimension, rows
    }
}

/// Builds an index over a base set and measures recall and latency per efSearch, one query at a time on one thread.
public struct ANNBenchmark: Sendable {
    public var parameters: HNSWParameters
    public var k: Int
    public var efSearchValues: [Int]
    public var threads: Int
    public var warmupQueries = 200
    /// Row q: the exact distances of query q's true neighbours, nearest first (debian-384's `gt_dist.fvecs`). When
    /// set, recall is tie-aware: a result counts when its distance is within 1e-5 of the true `k`-th or closer, so a
    /// copy of a true neighbour counts the same as the neighbour (data with duplicate vectors).
    public var truthDistances: VectorMatrix<Float>?

    public init(parameters: HNSWParameters, k: Int, efSearchValues: [Int], threads: Int) {
        self.parameters = parameters
        self.k = k
        self.efSearchValues = efSearchValues
        self.threads = threads
    }

    /// Runs the benchmark; `log` receives progress lines (build progress, one line per efSearch).
    public func run(
        base: VectorMatrix<Float>, queries: VectorMatrix<Float>, truth: VectorMatrix<Int32>,
        log: @escaping @Sendable (String) -> Void
    ) throws -> ANNBenchmarkReport {
        let cpuStart = ProcessMemory.processCPUSeconds()
        let (index, buildSeconds) = try build(base: base, log: log)
        let buildCPUSeconds = ProcessMemory.processCPUSeconds() - cpuStart
        let rows = try measure(index, queries: queries, truth: truth, log: log)
        var result = report(index, buildSeconds: buildSeconds, baseRows: base.rows, queryRows: queries.rows, rows: rows)
        result.buildCPUSeconds = buildCPUSeconds
        return result
    }

    /// The report for `index` and its measured `rows`, with the process's memory read now.
    public func report(
        _ index: HNSWIndex, buildSeconds: Double, baseRows: Int, queryRows: Int, rows: [ANNBenchmarkReport.Row]
    ) -> ANNBenchmarkReport {
        let memory = ProcessMemory.status()
        return ANNBenchmarkReport(
            buildSeconds: buildSeconds, threads: threads, memoryBytes: index.memoryByteCount,
            processRSSBytes: memory.residentBytes, processPeakRSSBytes: memory.peakResidentBytes,
            storage: parameters.storage.rawValue, metric: parameters.metric.rawValue, m: parameters.m,
            efConstruction: parameters.efConstruction, k: k, baseRows: baseRows, queryRows: queryRows,
            dimension: parameters.dimension, rows: rows)
    }

    /// Builds the index over `base` on ``threads`` threads, returning it and the build's wall time in seconds.
    public func build(
        base: VectorMatrix<Float>, log: @escaping @Sendable (String) -> Void
    ) throws -> (index: HNSWIndex, seconds: Double) {
        let index = try HNSWIndex(parameters: parameters)
        let clock = ContinuousClock()
        let total = base.rows
        let step = max(total / 10, 1)
        let start = clock.now
        let chunk = max(256, 64 * threads)
        _ = try base.values.withUnsafeBufferPointer { buffer in
            try index.add(buffer, threads: threads) { done in
                if done % step < chunk || done == total {
                    log("build: \(done)/\(total) vectors")
                }
            }
        }
        let buildSeconds = (clock.now - start).seconds
        log(String(format: "build: %.2f s on %d thread(s)", buildSeconds, threads))
        return (index, buildSeconds)
    }

    /// Measures `index` (built here or mapped from a segment) at each of ``efSearchValues``: one query at a time on
    /// the calling thread after a warm-up; `truth` row q holds query q's nearest slots.
    public func measure(
        _ index: HNSWIndex, queries: VectorMatrix<Float>, truth: VectorMatrix<Int32>,
        log: @escaping @Sendable (String) -> Void
    ) throws -> [ANNBenchmarkReport.Row] {
        let clock = ContinuousClock()
        var rows: [ANNBenchmarkReport.Row] = []
        var results: [Neighbor] = []
        results.reserveCapacity(max(k, 1000))
        for ef in efSearchValues {
            let search = SearchParameters(k: k, efSearch: ef)
            for q in 0..<min(warmupQueries, queries.rows) {
                _ = try queries.values[(q * queries.dimension)..<((q + 1) * queries.dimension)].withUnsafeBufferPointer {
                    try index.search($0, parameters: search, filter: AcceptAll(), into: &results)
                }
            }
            var latencies: [Double] = []
            latencies.reserveCapacity(queries.rows)
            var returned: [[Int32]] = []
            returned.reserveCapacity(queries.rows)
            var distances = 0
            var hops = 0
            var tieHits = 0
            let runStart = clock.now
            let cpuStart = ProcessMemory.threadCPUSeconds()
            for q in 0..<queries.rows {
                let t0 = clock.now
                let report = try queries.values[(q * queries.dimension)..<((q + 1) * queries.dimension)]
                    .withUnsafeBufferPointer { try index.search($0, parameters: search, filter: AcceptAll(), into: &results) }
                latencies.append((clock.now - t0).seconds * 1000)
                distances += report.distanceCount
                hops += report.hopCount
                returned.append(results.map { Int32($0.slot) })
                if let truthDistances { tieHits += Self.tieHits(results, kth: truthDistances.row(q)[k - 1], k: k) }
            }
            let elapsed = (clock.now - runStart).seconds
            let cpu = ProcessMemory.threadCPUSeconds() - cpuStart
            latencies.sort()
            let row = ANNBenchmarkReport.Row(
                efSearch: ef,
                recall: truthDistances == nil
                    ? ExactNeighbors.recall(results: returned, truth: truth, k: k)
                    : Double(tieHits) / Double(queries.rows * k),
                qps: Double(queries.rows) / elapsed,
                p50Milliseconds: Percentile.of(latencies, 0.50),
                p99Milliseconds: Percentile.of(latencies, 0.99),
                distancesPerQuery: Double(distances) / Double(queries.rows),
                hopsPerQuery: Double(hops) / Double(queries.rows),
                cpuQPS: cpu > 0 ? Double(queries.rows) / cpu : 0, cpuPerWall: elapsed > 0 ? cpu / elapsed : 0)
            rows.append(row)
            log(String(format: "ef_search %4d  recall %.4f  qps %9.1f  p50 %.3f ms  p99 %.3f ms  dist/q %.0f  cpu/wall %.2f",
                       ef, row.recall, row.qps, row.p50Milliseconds, row.p99Milliseconds, row.distancesPerQuery,
                       row.cpuPerWall))
        }
        return rows
    }

    /// Results among the first `k` whose distance is the true `k`-th distance or closer (within 1e-5).
    static func tieHits(_ results: [Neighbor], kth: Float, k: Int) -> Int {
        results.prefix(k).filter { $0.distance <= kth + 1e-5 }.count
    }
}

/// Latency percentiles by the nearest-rank method.
public enum Percentile {
    /// The `p`-quantile (0...1) of `sorted`, which must be sorted ascending.
    public static func of(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

/// Reads this process's memory use from /proc, and the calling thread's CPU time.
public enum ProcessMemory {
    /// CPU seconds the calling thread has used.
    public static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// CPU seconds (user + system) the whole process has used, every thread included.
    public static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Resident set size in bytes (VmRSS), or 0 where /proc is unavailable.
    public static func residentBytes() -> Int { status().residentBytes }

    /// The memory lines of /proc/self/status (zeros where /proc is unavailable).
    public static func status() -> ProcessMemoryStatus {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
            return ProcessMemoryStatus()
        }
        var result = ProcessMemoryStatus()
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })  // "VmRSS:\t  1234 kB"
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { continue }
            switch fields[0] {
            case "VmRSS:": result.residentBytes = kilobytes * 1024
            case "VmHWM:": result.peakResidentBytes = kilobytes * 1024
            case "RssAnon:": result.anonymousBytes = kilobytes * 1024
            case "RssFile:": result.fileBytes = kilobytes * 1024
            default: break
            }
        }
        return result
    }
}

/// One reading of a process's memory from /proc/self/status, in bytes.
public struct ProcessMemoryStatus: Codable, Sendable, Equatable {
    /// VmRSS: resident now (anonymous + file-backed + shared memory).
    public var residentBytes = 0
    /// VmHWM: the peak of VmRSS over the process's life.
    public var peakResidentBytes = 0
    /// RssAnon: resident heap and stacks (what the process allocated).
    public var anonymousBytes = 0
    /// RssFile: resident pages of mapped files (segment files among them); the kernel can drop these under pressure.
    public var fileBytes = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case residentBytes = "vm_rss_bytes", peakResidentBytes = "vm_hwm_bytes", anonymousBytes = "rss_anon_bytes"
        case fileBytes = "rss_file_bytes"
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

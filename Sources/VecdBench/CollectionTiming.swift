import Dispatch
import Synchronization
import VecdStorage

/// Times searches of a ``VectorCollection`` one query at a time on the calling thread, as a user's request would run
/// them: recall against ground truth, and latency percentiles idle or while a compaction runs beside them.
struct CollectionTiming {
    let queries: VectorMatrix<Float>
    let truth: VectorMatrix<Int32>
    let k: Int
    let warmupQueries: Int

    private func query(_ q: Int) -> [Float] { Array(queries.row(q)) }

    /// Recall@k, QPS and latency percentiles of one pass over the queries at `efSearch`, after a warm-up.
    func measure(_ collection: VectorCollection, efSearch: Int) throws -> ChurnReport.SearchRow {
        for q in 0..<min(warmupQueries, queries.rows) {
            _ = try collection.search(query(q), k: k, efSearch: efSearch)
        }
        let clock = ContinuousClock()
        var latencies: [Double] = []
        latencies.reserveCapacity(queries.rows)
        var returned: [[Int32]] = []
        returned.reserveCapacity(queries.rows)
        let start = clock.now
        for q in 0..<queries.rows {
            let vector = query(q)
            let t0 = clock.now
            let hits = try collection.search(vector, k: k, efSearch: efSearch)
            latencies.append((clock.now - t0).seconds * 1000)
            returned.append(hits.map { Int32(truncatingIfNeeded: $0.id) })
        }
        let elapsed = (clock.now - start).seconds
        latencies.sort()
        return ChurnReport.SearchRow(
            efSearch: efSearch, recall: ExactNeighbors.recall(results: returned, truth: truth, k: k),
            qps: elapsed > 0 ? Double(queries.rows) / elapsed : 0, p50Milliseconds: Percentile.of(latencies, 0.50),
            p99Milliseconds: Percentile.of(latencies, 0.99))
    }

    /// Latency of searches at `efSearch`, cycling through the queries, until `minimumQueries` ran and `keepGoing`
    /// returns false (checked between searches).
    func latency(
        _ collection: VectorCollection, efSearch: Int, minimumQueries: Int, keepGoing: () -> Bool
    ) throws -> ChurnReport.LatencySample {
        let clock = ContinuousClock()
        var latencies: [Double] = []
        var q = 0
        let start = clock.now
        let cpuStart = ProcessMemory.threadCPUSeconds()
        while latencies.count < minimumQueries || keepGoing() {
            let vector = query(q % queries.rows)
            let t0 = clock.now
            _ = try collection.search(vector, k: k, efSearch: efSearch)
            latencies.append((clock.now - t0).seconds * 1000)
            q += 1
        }
        let wall = (clock.now - start).seconds
        let cpu = ProcessMemory.threadCPUSeconds() - cpuStart
        latencies.sort()
        return ChurnReport.LatencySample(
            queries: latencies.count, p50Milliseconds: Percentile.of(latencies, 0.50),
            p99Milliseconds: Percentile.of(latencies, 0.99), cpuPerWall: wall > 0 ? cpu / wall : 0)
    }

    /// Runs `collection.compact()` on another thread and searches on this one until it is done: the latency searches
    /// see while compaction is online. Searches stop as soon as the compaction finishes (at least one runs).
    func latencyDuringCompaction(
        _ collection: VectorCollection, efSearch: Int
    ) throws -> (sample: ChurnReport.LatencySample, report: CompactionReport?, seconds: Double) {
        let outcome = Mutex<Result<CompactionReport?, StorageError>?>(nil)
        let finished = Atomic<Bool>(false)
        let done = DispatchSemaphore(value: 0)
        let clock = ContinuousClock()
        let start = clock.now
        let seconds = Mutex<Double>(0)
        DispatchQueue.global().async {
            let result = Result { () throws(StorageError) in try collection.compact() }
            seconds.withLock { $0 = (clock.now - start).seconds }
            outcome.withLock { $0 = result }
            finished.store(true, ordering: .releasing)
            done.signal()
        }
        let sample = try latency(collection, efSearch: efSearch, minimumQueries: 1) {
            !finished.load(ordering: .acquiring)
        }
        done.wait()
        let report = try outcome.withLock { $0! }.get()
        return (sample, report, seconds.withLock { $0 })
    }
}

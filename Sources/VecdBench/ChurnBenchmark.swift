import Foundation
import VecdIndex
import VecdKernels
import VecdStorage

/// `vecd bench churn` on vecd: the churn protocol of issue 4 run through ``VectorCollection`` (WAL, in-memory part,
/// segment files, online compaction) in a scratch directory, exactly as a server would hold the rows.
///
/// Row r of the base set is stored under id r, so the ground truth (row numbers) and the hits (ids) compare directly.
public struct ChurnBenchmark: Sendable {
    /// Rows per insert batch, as the protocol fixes it (one WAL append, one fsync each).
    public static let insertBatchRows = 1_000
    /// Fraction of all rows deleted.
    public static let deleteFraction = 0.30
    /// The recall a fresh build must reach at the target efSearch.
    public static let targetRecall = 0.90
    /// Rows per write while loading the first half and the fresh build (a bulk load, not part of the churn).
    static let bulkBatchRows = 10_000

    public var parameters: HNSWParameters
    public var k: Int
    /// Candidates of the efSearch sweep that finds the target (then bisected).
    public var efSearchValues: [Int]
    /// Seed of the random deletions.
    public var seed: UInt64
    /// Threads of the initial build, inserts and fresh build.
    public var buildThreads: Int
    /// Threads of the compaction's graph build: 1 leaves the other core of a 2-core machine to searches.
    public var compactionThreads = 1
    /// The collection's automatic flush threshold (the default users run).
    public var flushRowCount = CollectionConfiguration(name: "", parameters: HNSWParameters(dimension: 1)).flushRowCount
    /// Untimed searches before each timed pass.
    public var warmupQueries = 200
    /// Where the scratch collections go (a fresh subdirectory, removed afterwards).
    public var scratchDirectory = FileManager.default.temporaryDirectory.path

    public init(parameters: HNSWParameters, k: Int, efSearchValues: [Int], seed: UInt64, buildThreads: Int) {
        self.parameters = parameters
        self.k = k
        self.efSearchValues = efSearchValues
        self.seed = seed
        self.buildThreads = buildThreads
    }

    /// Runs the protocol on `base` (the first half indexed, the second inserted) and `queries`; `log` receives one
    /// line per phase. Throws ``StorageError`` from the collection and `VectorFileError`-free input checks as
    /// `StorageError.invalidArgument`.
    public func run(
        base: VectorMatrix<Float>, queries: VectorMatrix<Float>, log: @escaping @Sendable (String) -> Void
    ) throws -> ChurnReport {
        let loadStart = ChurnReport.oneMinuteLoadAverage()
        guard base.rows >= 4, queries.rows >= 1, base.dimension == queries.dimension else {
            throw StorageError(
                code: .invalidArgument, path: "",
                detail: "churn needs at least 4 base rows and 1 query of one dimension; got \(base.rows)×"
                    + "\(base.dimension) base, \(queries.rows)×\(queries.dimension) queries")
        }
        let root = URL(fileURLWithPath: scratchDirectory).appendingPathComponent("vecd-churn-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let half = base.rows / 2
        log("vecd churn: \(base.rows) rows × \(base.dimension), storage \(parameters.storage.rawValue): build on "
            + "\(half), insert \(base.rows - half) in batches of \(Self.insertBatchRows), delete "
            + "\(Int(Self.deleteFraction * 100))% (seed \(seed))")

        let churned = try VectorCollection(
            path: root.appendingPathComponent("churned").path,
            configuration: configuration(flushRowCount: flushRowCount, threads: buildThreads))
        let clock = ContinuousClock()
        var start = clock.now
        try Self.write(base, rows: Array(0..<half), batch: Self.bulkBatchRows, into: churned)
        try churned.flush()
        let initialBuildSeconds = (clock.now - start).seconds
        log(String(format: "initial build on %d rows: %.2f s", half, initialBuildSeconds))

        start = clock.now
        try Self.write(base, rows: Array(half..<base.rows), batch: Self.insertBatchRows, into: churned)
        let insertSeconds = (clock.now - start).seconds
        log(String(format: "inserted %d rows in %.2f s", base.rows - half, insertSeconds))

        let deleted = LiveTruth.deletedRows(rows: base.rows, fraction: Self.deleteFraction, seed: seed)
        start = clock.now
        for first in stride(from: 0, to: deleted.count, by: Self.insertBatchRows) {
            let batch = deleted[first..<min(first + Self.insertBatchRows, deleted.count)]
            try churned.write(batch.map { .delete(id: UInt64($0)) })
        }
        let deleteSeconds = (clock.now - start).seconds
        let deletedSet = Set(deleted)
        let live = (0..<base.rows).filter { !deletedSet.contains($0) }
        log(String(format: "deleted %d rows in %.2f s; %d live", deleted.count, deleteSeconds, live.count))

        let truth = LiveTruth.compute(
            base: base, liveRows: live, queries: queries, k: k, metric: parameters.metric,
            threads: ProcessInfo.processInfo.activeProcessorCount)
        let timing = CollectionTiming(queries: queries, truth: truth, k: k, warmupQueries: warmupQueries)
        let fresh = try measureFreshBuild(base: base, live: live, root: root, timing: timing, log: log)
        let target = fresh.chosen.efSearch

        let churnedRow = try timing.measure(churned, efSearch: target)
        log("churned, before flush: " + Self.describe(churnedRow))
        start = clock.now
        try churned.flush()
        let flushSeconds = (clock.now - start).seconds
        // Reopen with the compaction's thread count (the collection's build threads drive its compaction build):
        // everything is in segments now, so the reopen maps them and replays nothing.
        try churned.close()
        let served = try VectorCollection(
            path: root.appendingPathComponent("churned").path,
            configuration: configuration(flushRowCount: flushRowCount, threads: compactionThreads))
        let before = served.stats()
        let flushedRow = try timing.measure(served, efSearch: target)
        log(String(format: "flushed (%.2f s, %d segments, %d deleted segment rows): ", flushSeconds,
                   before.segmentCount, before.segmentDeletedCount) + Self.describe(flushedRow))
        let idle = try timing.latency(served, efSearch: target, minimumQueries: max(queries.rows, 1_000)) { false }
        log(String(format: "idle latency: p50 %.3f ms, p99 %.3f ms over %d searches", idle.p50Milliseconds,
                   idle.p99Milliseconds, idle.queries))
        let during = try timing.latencyDuringCompaction(served, efSearch: target)
        log(String(format: "compaction: %.2f s (%@); latency meanwhile p50 %.3f ms, p99 %.3f ms over %d searches",
                   during.seconds, during.report.map { "kept \($0.keptRowCount), dropped \($0.droppedRowCount)" }
                       ?? "nothing to merge", during.sample.p50Milliseconds, during.sample.p99Milliseconds,
                   during.sample.queries))
        let compactedRow = try timing.measure(served, efSearch: target)
        log("after compaction: " + Self.describe(compactedRow))
        let after = served.stats()
        try served.close()

        return ChurnReport(
            storage: parameters.storage.rawValue, metric: parameters.metric.rawValue, m: parameters.m,
            efConstruction: parameters.efConstruction, k: k, seed: seed, baseRows: base.rows, queryRows: queries.rows,
            dimension: base.dimension, insertBatchRows: Self.insertBatchRows, deletedRows: deleted.count,
            liveRows: live.count, flushRowCount: flushRowCount, buildThreads: buildThreads,
            compactionThreads: compactionThreads, targetRecall: Self.targetRecall, targetEfSearch: target,
            targetReached: fresh.chosen.recall >= Self.targetRecall, initialBuildSeconds: initialBuildSeconds,
            insertSeconds: insertSeconds, deleteSeconds: deleteSeconds, flushSeconds: flushSeconds,
            compactionSeconds: during.seconds, freshBuildSeconds: fresh.buildSeconds,
            segmentsBeforeCompaction: before.segmentCount,
            deletedSegmentRowsBeforeCompaction: before.segmentDeletedCount,
            segmentsAfterCompaction: after.segmentCount, freshSweep: fresh.measured, fresh: fresh.chosen,
            churned: churnedRow, flushed: flushedRow, compacted: compactedRow, idleLatency: idle,
            duringCompactionLatency: during.sample,
            p99RatioDuringCompaction: idle.p99Milliseconds > 0
                ? during.sample.p99Milliseconds / idle.p99Milliseconds : 0,
            loadAverageStart: loadStart, loadAverageEnd: ChurnReport.oneMinuteLoadAverage())
    }

    /// A collection configuration for the benchmark: no fsync wait to speak of (group commit, as the default), the
    /// given flush threshold, and `threads` for batch inserts and compaction builds.
    private func configuration(flushRowCount: Int, threads: Int) -> CollectionConfiguration {
        CollectionConfiguration(
            name: "bench", parameters: parameters, flushRowCount: flushRowCount, buildThreads: threads)
    }

    /// Writes the live rows into an empty collection as one graph (no automatic flush on the way), then finds the
    /// smallest efSearch where it reaches the target recall.
    private func measureFreshBuild(
        base: VectorMatrix<Float>, live: [Int], root: URL, timing: CollectionTiming,
        log: @escaping @Sendable (String) -> Void
    ) throws -> (chosen: ChurnReport.SearchRow, measured: [ChurnReport.SearchRow], buildSeconds: Double) {
        let fresh = try VectorCollection(
            path: root.appendingPathComponent("fresh").path,
            configuration: configuration(flushRowCount: live.count + 1, threads: buildThreads))
        defer { try? fresh.close() }
        let clock = ContinuousClock()
        let start = clock.now
        try Self.write(base, rows: live, batch: Self.bulkBatchRows, into: fresh)
        try fresh.flush()
        let buildSeconds = (clock.now - start).seconds
        log(String(format: "fresh build on the %d live rows: %.2f s", live.count, buildSeconds))
        let found = try EfSearchTarget.find(
            candidates: efSearchValues, k: k, target: Self.targetRecall, recall: \.recall
        ) { efSearch in
            let row = try timing.measure(fresh, efSearch: efSearch)
            log("fresh: " + Self.describe(row))
            return row
        }
        return (found.chosen, found.measured, buildSeconds)
    }

    /// Upserts `rows` of `base` (row r under id r) in batches of `batch` rows, one WAL append each.
    static func write(_ base: VectorMatrix<Float>, rows: [Int], batch: Int, into collection: VectorCollection) throws {
        for first in stride(from: 0, to: rows.count, by: batch) {
            let writes = rows[first..<min(first + batch, rows.count)].map {
                CollectionWrite.upsert(id: UInt64($0), vector: Array(base.row($0)))
            }
            try collection.write(writes)
        }
    }

    static func describe(_ row: ChurnReport.SearchRow) -> String {
        String(format: "ef_search %d  recall %.4f  qps %.1f  p50 %.3f ms  p99 %.3f ms", row.efSearch, row.recall,
               row.qps, row.p50Milliseconds, row.p99Milliseconds)
    }
}

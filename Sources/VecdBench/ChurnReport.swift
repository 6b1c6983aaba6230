import Foundation

/// What `vecd bench churn` measured on a vecd collection, in the JSON schema it writes (snake_case keys).
///
/// The protocol (issue 4): build on the first half of a data set, insert the second half in batches of 1,000, delete
/// 30% of all rows at random (seeded), then compare the churned collection's recall@k with a fresh build of the same
/// live rows at the efSearch where that fresh build reaches ``targetRecall`` — before and after ``compact()``, with
/// search latency idle and during the online compaction.
public struct ChurnReport: Codable, Sendable {
    /// Recall and latency of one collection state at one efSearch (one query at a time, one thread).
    public struct SearchRow: Codable, Sendable {
        public var efSearch: Int
        public var recall: Double
        public var qps: Double
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double

        public init(efSearch: Int, recall: Double, qps: Double, p50Milliseconds: Double, p99Milliseconds: Double) {
            self.efSearch = efSearch
            self.recall = recall
            self.qps = qps
            self.p50Milliseconds = p50Milliseconds
            self.p99Milliseconds = p99Milliseconds
        }

        enum CodingKeys: String, CodingKey {
            case efSearch = "ef_search", recall, qps, p50Milliseconds = "p50_ms", p99Milliseconds = "p99_ms"
        }
    }

    /// Search latency over a stretch of time: while idle, or while a compaction runs beside the searches.
    public struct LatencySample: Codable, Sendable {
        /// Searches timed.
        public var queries: Int
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
        /// The query thread's CPU time over its wall time (below ~0.95: something else, the compaction included,
        /// took part of its core).
        public var cpuPerWall: Double

        public init(queries: Int, p50Milliseconds: Double, p99Milliseconds: Double, cpuPerWall: Double) {
            self.queries = queries
            self.p50Milliseconds = p50Milliseconds
            self.p99Milliseconds = p99Milliseconds
            self.cpuPerWall = cpuPerWall
        }

        enum CodingKeys: String, CodingKey {
            case queries, p50Milliseconds = "p50_ms", p99Milliseconds = "p99_ms", cpuPerWall = "cpu_per_wall"
        }
    }

    /// Always `vecd`.
    public var engine = "vecd"
    /// f32, f16 or int8: what the graph walk reads.
    public var storage: String
    public var metric: String
    public var m: Int
    public var efConstruction: Int
    /// Neighbours per query (recall@k).
    public var k: Int
    /// Seed of the random deletions (the pgvector side uses the same seed, so both delete the same rows).
    public var seed: UInt64
    public var baseRows: Int
    public var queryRows: Int
    public var dimension: Int
    /// Rows per insert batch (1,000).
    public var insertBatchRows: Int
    /// Rows deleted (30% of the base set).
    public var deletedRows: Int
    /// Rows left after the deletes.
    public var liveRows: Int
    /// The collection's automatic flush threshold (``CollectionConfiguration/flushRowCount``).
    public var flushRowCount: Int
    /// Threads of the initial build, the inserts and the fresh build.
    public var buildThreads: Int
    /// Threads of the compaction's graph build (searches run on another thread beside it).
    public var compactionThreads: Int
    /// The recall a fresh build must reach at the target efSearch (0.90).
    public var targetRecall: Double
    /// The smallest efSearch at which the fresh build reaches ``targetRecall``.
    public var targetEfSearch: Int
    /// False when no efSearch tried reached ``targetRecall`` (the target is then the largest tried).
    public var targetReached: Bool
    /// Writing and flushing the first half.
    public var initialBuildSeconds: Double
    /// All insert batches of the second half together.
    public var insertSeconds: Double
    /// All delete batches together.
    public var deleteSeconds: Double
    /// The flush before compaction (the in-memory part becomes a segment, deletions a bitmap).
    public var flushSeconds: Double
    /// The online compaction, start to swap.
    public var compactionSeconds: Double
    /// Writing and flushing the live rows into an empty collection.
    public var freshBuildSeconds: Double
    /// Segments and their deleted rows right before compaction.
    public var segmentsBeforeCompaction: Int
    public var deletedSegmentRowsBeforeCompaction: Int
    /// Segments after compaction (1 when everything was merged).
    public var segmentsAfterCompaction: Int
    /// The fresh build's measurements on the way to the target (the sweep, then the bisection).
    public var freshSweep: [SearchRow]
    /// The fresh build at the target efSearch.
    public var fresh: SearchRow
    /// Right after the deletes: the first half's segment with tombstones, the inserts in memory (or flushed).
    public var churned: SearchRow
    /// After the flush, right before compaction.
    public var flushed: SearchRow
    /// After the compaction (one segment, a graph rebuilt from the live rows).
    public var compacted: SearchRow
    /// Search latency at the target efSearch before compaction, nothing else running in this process.
    public var idleLatency: LatencySample
    /// Search latency at the target efSearch while the compaction ran on another thread.
    public var duringCompactionLatency: LatencySample
    /// ``duringCompactionLatency`` p99 over ``idleLatency`` p99 (issue 4 asks for at most 2).
    public var p99RatioDuringCompaction: Double
    /// One-minute load average at the start and end of the run (nil where /proc is missing): latency on a shared
    /// machine means little without it.
    public var loadAverageStart: Double?
    public var loadAverageEnd: Double?

    enum CodingKeys: String, CodingKey {
        case engine, storage, metric, m, efConstruction = "ef_construction", k, seed, baseRows = "base_rows"
        case queryRows = "query_rows", dimension, insertBatchRows = "insert_batch_rows", deletedRows = "deleted_rows"
        case liveRows = "live_rows", flushRowCount = "flush_row_count", buildThreads = "build_threads"
        case compactionThreads = "compaction_threads", targetRecall = "target_recall"
        case targetEfSearch = "target_ef_search", targetReached = "target_reached"
        case initialBuildSeconds = "initial_build_seconds", insertSeconds = "insert_seconds"
        case deleteSeconds = "delete_seconds", flushSeconds = "flush_seconds", compactionSeconds = "compaction_seconds"
        case freshBuildSeconds = "fresh_build_seconds", segmentsBeforeCompaction = "segments_before_compaction"
        case deletedSegmentRowsBeforeCompaction = "deleted_segment_rows_before_compaction"
        case segmentsAfterCompaction = "segments_after_compaction", freshSweep = "fresh_sweep", fresh, churned
        case flushed, compacted, idleLatency = "idle_latency", duringCompactionLatency = "during_compaction_latency"
        case p99RatioDuringCompaction = "p99_ratio_during_compaction", loadAverageStart = "load_average_start"
        case loadAverageEnd = "load_average_end"
    }

    /// The one-minute load average from /proc/loadavg, nil where it is missing.
    public static func oneMinuteLoadAverage() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { Double($0) }
    }
}

import Foundation
import VecdBench
import VecdPostgres

/// vecd and pgvector measured on one data set in one run (`vecd bench pgvector`): both recall curves, pgvector's
/// bare round-trip cost, and the headline — QPS at equal recall.
///
/// What is compared (the fairness rules): the same base rows, queries and ground truth; the same m,
/// efConstruction, k, efSearch values and warm-up; builds with the same number of workers (vecd threads =
/// pgvector build processes); queries one at a time on one thread. vecd is measured **in process** (a function
/// call into the index, as `vecd bench ann`); pgvector through a prepared statement over its unix socket, which
/// is how an application reaches it. ``pgvectorRoundTrip`` is the part of each pgvector query that is not search.
/// The two engines' passes alternate per efSearch so both see the same machine load.
public struct EngineComparisonReport: Codable, Sendable {
    /// vecd's side, in `vecd bench ann`'s schema.
    public var vecd: ANNBenchmarkReport
    /// pgvector's side.
    public var pgvector: PgvectorBenchmarkReport
    /// A pgvector round trip that searches nothing (see ``PgvectorRoundTrip``).
    public var pgvectorRoundTrip: PgvectorRoundTrip
    /// QPS and p99 of both engines at recall 0.90 and 0.95, interpolated on each curve.
    public var equalRecall: [EqualRecallRow]
    /// How the two were measured, in words, so a report read alone says what its ratios mean.
    public var method: String

    enum CodingKeys: String, CodingKey {
        case vecd, pgvector, pgvectorRoundTrip = "pgvector_round_trip", equalRecall = "equal_recall", method
    }
}

/// Both engines at one recall: pgvector reaches higher recall than vecd at the same efSearch, so the engines are
/// compared where their curves cross the same recall, not at the same efSearch.
public struct EqualRecallRow: Codable, Sendable, Equatable {
    /// The recall compared at.
    public var recall: Double
    /// vecd's QPS at that recall (nil when its curve does not reach it).
    public var vecdQPS: Double?
    /// pgvector's QPS at that recall (nil when its curve does not reach it).
    public var pgvectorQPS: Double?
    /// vecd QPS / pgvector QPS (above 1: vecd answers more queries per second).
    public var qpsRatio: Double?
    /// vecd's p99 latency at that recall, interpolated like QPS.
    public var vecdP99Milliseconds: Double?
    /// pgvector's p99 latency at that recall.
    public var pgvectorP99Milliseconds: Double?

    enum CodingKeys: String, CodingKey {
        case recall, vecdQPS = "vecd_qps", pgvectorQPS = "pgvector_qps", qpsRatio = "qps_ratio"
        case vecdP99Milliseconds = "vecd_p99_ms", pgvectorP99Milliseconds = "pgvector_p99_ms"
    }

    /// One row per headline recall (0.90, 0.95) from the two measured curves.
    public static func rows(vecd: [PgvectorSearchRow], pgvector: [PgvectorSearchRow]) -> [EqualRecallRow] {
        RecallCurve.headlineRecalls.map { recall in
            let vecdQPS = RecallCurve.qps(atRecall: recall, rows: vecd)
            let pgvectorQPS = RecallCurve.qps(atRecall: recall, rows: pgvector)
            var ratio: Double?
            if let vecdQPS, let pgvectorQPS, pgvectorQPS > 0 { ratio = vecdQPS / pgvectorQPS }
            return EqualRecallRow(
                recall: recall, vecdQPS: vecdQPS, pgvectorQPS: pgvectorQPS, qpsRatio: ratio,
                vecdP99Milliseconds: RecallCurve.value(\.p99Milliseconds, atRecall: recall, rows: vecd),
                pgvectorP99Milliseconds: RecallCurve.value(\.p99Milliseconds, atRecall: recall, rows: pgvector))
        }
    }
}

extension PgvectorSearchRow {
    /// vecd's row of `vecd bench ann` in the shared row schema (the figures both engines report).
    public init(_ row: ANNBenchmarkReport.Row) {
        self.init(
            efSearch: row.efSearch, recall: row.recall, qps: row.qps, p50Milliseconds: row.p50Milliseconds,
            p99Milliseconds: row.p99Milliseconds)
    }
}

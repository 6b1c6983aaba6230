import Foundation
import VecdBench
import VecdPostgres

/// The tables `vecd bench pgvector` prints at the end: both curves side by side, the equal-recall ratios, and the
/// churn protocol's states on both engines.
enum PgvectorBenchSummary {
    /// Both curves by efSearch, then QPS and p99 at equal recall with vecd/pgvector ratios.
    static func comparison(_ report: EngineComparisonReport) -> [String] {
        var lines = [
            "",
            "ef_search |  vecd recall        qps   p99 ms | pgvector recall        qps   p99 ms",
        ]
        for (vecd, pgvector) in zip(report.vecd.rows, report.pgvector.rows) {
            lines.append(
                String(
                    format: "%9d |       %.4f %10.1f %8.3f |          %.4f %10.1f %8.3f", vecd.efSearch, vecd.recall,
                    vecd.qps, vecd.p99Milliseconds, pgvector.recall, pgvector.qps, pgvector.p99Milliseconds))
        }
        lines.append("")
        lines.append("recall | vecd QPS | pgvector QPS | vecd/pgvector | vecd p99 ms | pgvector p99 ms")
        for row in report.equalRecall {
            lines.append(
                String(format: "  %.2f", row.recall) + " | " + number(row.vecdQPS, "%.1f") + " | "
                    + number(row.pgvectorQPS, "%.1f") + " | " + number(row.qpsRatio, "%.2f×") + " | "
                    + number(row.vecdP99Milliseconds, "%.3f") + " | " + number(row.pgvectorP99Milliseconds, "%.3f"))
        }
        lines.append(
            String(
                format: "builds: vecd %.2f s, pgvector %.2f s (%d worker(s) each); pgvector round trip without "
                    + "search p50 %.3f ms", report.vecd.buildSeconds, report.pgvector.buildSeconds,
                report.pgvector.threads, report.pgvectorRoundTrip.p50Milliseconds))
        return lines
    }

    /// The churn protocol's recall per state, each engine at the efSearch where its own fresh build reaches 0.90.
    static func churn(vecd: ChurnReport?, pgvector: PgvectorChurnReport) -> [String] {
        func cell(_ recall: Double?) -> String { number(recall, "%.4f") }
        let lines = [
            "",
            "churn: recall@\(pgvector.k) at the ef_search where each engine's fresh build of the live rows reaches "
                + String(format: "%.2f", pgvector.targetRecall),
            "state | vecd | pgvector",
            "ef_search | \(vecd.map { "\($0.targetEfSearch)" } ?? "-") | \(pgvector.targetEfSearch)",
            "fresh build | \(cell(vecd?.fresh.recall)) | \(cell(pgvector.fresh.recall))",
            "after the deletes | \(cell(vecd?.churned.recall)) | \(cell(pgvector.churned.recall))",
            "flushed / after VACUUM | \(cell(vecd?.flushed.recall)) | \(cell(pgvector.vacuumed.recall))",
            "compacted / after REINDEX | \(cell(vecd?.compacted.recall)) | \(cell(pgvector.reindexed.recall))",
            "maintenance seconds: compact \(number(vecd?.compactionSeconds, "%.1f")) | "
                + String(format: "VACUUM %.1f + REINDEX %.1f", pgvector.vacuumSeconds, pgvector.reindexSeconds),
        ]
        return lines
    }

    private static func number(_ value: Double?, _ format: String) -> String {
        value.map { String(format: format, $0) } ?? "-"
    }
}

import Foundation
import VecdPostgres

/// One efSearch setting's measurements, in the row schema `vecd bench ann` writes:
/// `{"ef_search","recall","qps","p50_ms","p99_ms"}`, plus `rows_per_query` where counted.
public struct PgvectorSearchRow: Codable, Sendable, Equatable {
    /// `hnsw.ef_search` for this row.
    public var efSearch: Int
    /// Mean recall@k against the ground truth.
    public var recall: Double
    /// Queries per second, one query at a time on one connection.
    public var qps: Double
    /// Median latency of one query, client round trip included.
    public var p50Milliseconds: Double
    /// 99th-percentile latency of one query.
    public var p99Milliseconds: Double
    /// Mean rows a query returned (pgvector: below k when deleted rows still in the graph took candidate slots);
    /// nil where not counted.
    public var rowsPerQuery: Double?

    /// A row from its measurements.
    public init(
        efSearch: Int, recall: Double, qps: Double, p50Milliseconds: Double, p99Milliseconds: Double,
        rowsPerQuery: Double? = nil
    ) {
        self.efSearch = efSearch
        self.recall = recall
        self.qps = qps
        self.p50Milliseconds = p50Milliseconds
        self.p99Milliseconds = p99Milliseconds
        self.rowsPerQuery = rowsPerQuery
    }

    enum CodingKeys: String, CodingKey {
        case efSearch = "ef_search", recall, qps, p50Milliseconds = "p50_ms", p99Milliseconds = "p99_ms"
        case rowsPerQuery = "rows_per_query"
    }
}

/// What `vecd bench pgvector` measures on the ANN protocol: load, index build, and recall/QPS/latency per efSearch.
public struct PgvectorBenchmarkReport: Codable, Sendable {
    /// Always `pgvector`, so reports from several engines can be told apart.
    public var engine = "pgvector"
    /// e.g. `18.6`.
    public var postgresVersion: String
    /// e.g. `0.8.6`.
    public var pgvectorVersion: String
    /// Binary COPY of the base vectors into the table.
    public var copySeconds: Double
    /// `CREATE INDEX … USING hnsw`.
    public var buildSeconds: Double
    /// Processes building the index: 1 + `max_parallel_maintenance_workers`.
    public var threads: Int
    /// `pg_relation_size` of the HNSW index (graph and vectors).
    public var indexBytes: Int
    /// `pg_table_size` of the table (heap and TOAST), which pgvector needs beside the index.
    public var tableBytes: Int
    /// Always `cosine` (`vector_cosine_ops`).
    public var metric = "cosine"
    /// HNSW links per node.
    public var m: Int
    /// Candidate list size while building.
    public var efConstruction: Int
    /// Neighbours per query.
    public var k: Int
    /// Rows loaded and indexed.
    public var baseRows: Int
    /// Queries timed per efSearch.
    public var queryRows: Int
    /// Vector dimension.
    public var dimension: Int
    /// One row per efSearch, in the order measured.
    public var rows: [PgvectorSearchRow]
    /// QPS interpolated on the recall/QPS curve at recall 0.90 and 0.95 (keys "0.90", "0.95"); a key is missing
    /// when the curve does not reach that recall.
    public var qpsAtRecall: [String: Double]

    enum CodingKeys: String, CodingKey {
        case engine, postgresVersion = "postgres_version", pgvectorVersion = "pgvector_version"
        case copySeconds = "copy_seconds", buildSeconds = "build_seconds", threads
        case indexBytes = "index_bytes", tableBytes = "table_bytes", metric, m, efConstruction = "ef_construction"
        case k, baseRows = "base_rows", queryRows = "query_rows", dimension, rows, qpsAtRecall = "qps_at_recall"
    }
}

/// Equal-recall comparison: pgvector reaches higher recall than in-process libraries at the same efSearch, so
/// engines are compared by QPS at the same recall, interpolated on each curve.
public enum RecallCurve {
    /// QPS at `recall`, interpolated linearly between the two measured rows that bracket it (rows in efSearch
    /// order), or nil when no row reaches it. The first row at or above `recall` and the row before it are used.
    public static func qps(atRecall recall: Double, rows: [PgvectorSearchRow]) -> Double? {
        value(\.qps, atRecall: recall, rows: rows)
    }

    /// Any measured figure of the rows (QPS, p50, p99) at `recall`, interpolated as ``qps(atRecall:rows:)`` is.
    public static func value(
        _ figure: KeyPath<PgvectorSearchRow, Double>, atRecall recall: Double, rows: [PgvectorSearchRow]
    ) -> Double? {
        let sorted = rows.sorted { $0.efSearch < $1.efSearch }
        guard let index = sorted.firstIndex(where: { $0.recall >= recall }) else { return nil }
        let upper = sorted[index]
        guard index > 0 else { return upper[keyPath: figure] }
        let lower = sorted[index - 1]
        guard upper.recall > lower.recall else { return upper[keyPath: figure] }
        let fraction = (recall - lower.recall) / (upper.recall - lower.recall)
        return lower[keyPath: figure] + fraction * (upper[keyPath: figure] - lower[keyPath: figure])
    }

    /// The recalls the headline compares at.
    public static let headlineRecalls = [0.90, 0.95]

    /// The ``qps(atRecall:rows:)`` values at 0.90 and 0.95, keyed "0.90" and "0.95".
    public static func headline(_ rows: [PgvectorSearchRow]) -> [String: Double] {
        var result: [String: Double] = [:]
        for target in headlineRecalls {
            if let qps = qps(atRecall: target, rows: rows) { result[String(format: "%.2f", target)] = qps }
        }
        return result
    }
}

import Foundation
import VecdBench
import VecdPostgres

/// One benchmark table `(id bigint, embedding vector(d))` and the operations both benchmark protocols run on it:
/// binary COPY, the timed HNSW build, and the one-query-at-a-time measurement at a given efSearch.
struct PgvectorTable {
    let connection: PostgresConnection
    let name: String
    let dimension: Int
    let settings: PgvectorIndexSettings

    var indexName: String { "\(name)_embedding_idx" }

    /// Drops any table of that name and creates it empty. Autovacuum is off on it so that no background VACUUM
    /// changes the graph between measurements; the churn protocol runs VACUUM itself, at a known point.
    static func create(
        _ connection: PostgresConnection, name: String, dimension: Int, settings: PgvectorIndexSettings,
        primaryKey: Bool
    ) throws -> PgvectorTable {
        try connection.exec("SET client_min_messages = warning; DROP TABLE IF EXISTS \(name)")
        try connection.exec(
            "CREATE TABLE \(name) (id bigint \(primaryKey ? "PRIMARY KEY" : "NOT NULL"), "
                + "embedding vector(\(dimension)) NOT NULL) WITH (autovacuum_enabled = false)")
        return PgvectorTable(connection: connection, name: name, dimension: dimension, settings: settings)
    }

    /// Loads `rows` of `base` with their row number as id, in one binary COPY. Returns the seconds it took.
    @discardableResult
    func load(_ base: VectorMatrix<Float>, rows: some Sequence<Int>) throws -> Double {
        let start = ContinuousClock.now
        try connection.copyBinary("COPY \(name) (id, embedding) FROM STDIN (FORMAT binary)") { writer in
            for row in rows {
                try writer.beginRow(fieldCount: 2)
                try writer.appendInt64(Int64(row))
                try writer.appendVector(base.row(row))
            }
        }
        return (ContinuousClock.now - start).seconds
    }

    /// `CREATE INDEX … USING hnsw (embedding vector_cosine_ops) WITH (m, ef_construction)` with the configured
    /// number of build processes. Returns the seconds it took.
    func buildIndex() throws -> Double {
        try applyBuildSettings()
        let start = ContinuousClock.now
        try connection.exec(
            "CREATE INDEX \(indexName) ON \(name) USING hnsw (embedding vector_cosine_ops) "
                + "WITH (m = \(settings.m), ef_construction = \(settings.efConstruction))")
        return (ContinuousClock.now - start).seconds
    }

    /// `REINDEX INDEX`: rebuilds the graph from the live rows, with the same build settings. Returns seconds.
    func reindex() throws -> Double {
        try applyBuildSettings()
        let start = ContinuousClock.now
        try connection.exec("REINDEX INDEX \(indexName)")
        return (ContinuousClock.now - start).seconds
    }

    private func applyBuildSettings() throws {
        // maintenance_work_mem large enough that the graph is built in memory (pgvector warns and slows down
        // otherwise); 0 extra workers = one process, the single-thread build.
        try connection.exec(
            "SET maintenance_work_mem = '\(settings.maintenanceWorkMemory)'; "
                + "SET max_parallel_maintenance_workers = \(settings.parallelWorkers); "
                + "ALTER TABLE \(name) SET (parallel_workers = \(max(settings.parallelWorkers, 1)))")
    }

    /// Sizes of the index and the table in bytes.
    func sizes() throws -> (index: Int, table: Int) {
        let result = try connection.query(
            "SELECT pg_relation_size($1::regclass), pg_table_size($2::regclass)", [.text(indexName), .text(name)])
        return (try result.int(row: 0, column: 0) ?? 0, try result.int(row: 0, column: 1) ?? 0)
    }

    /// Runs the queries one at a time at `efSearch` through a prepared statement with a binary vector parameter
    /// (after `warmupQueries` untimed ones) and scores them against `truth` (ids, row i for query i).
    func measure(
        efSearch: Int, k: Int, queries: VectorMatrix<Float>, truth: VectorMatrix<Int32>, warmupQueries: Int
    ) throws -> PgvectorSearchRow {
        try connection.exec("SET hnsw.ef_search = \(efSearch)")
        let statement = try prepareSearch(k: k)
        for query in 0..<min(warmupQueries, queries.rows) {
            _ = try connection.execute(statement, [.vector(queries.row(query))], resultFormat: .binary)
        }
        var latencies: [Double] = []
        latencies.reserveCapacity(queries.rows)
        var returned: [[Int32]] = []
        returned.reserveCapacity(queries.rows)
        let clock = ContinuousClock()
        let runStart = clock.now
        for query in 0..<queries.rows {
            let parameter = PostgresParameter.vector(queries.row(query))
            let start = clock.now
            let result = try connection.execute(statement, [parameter], resultFormat: .binary)
            latencies.append((clock.now - start).seconds * 1000)
            returned.append(try (0..<result.rowCount).map { Int32(try result.int64(row: $0, column: 0) ?? -1) })
        }
        let elapsed = (clock.now - runStart).seconds
        latencies.sort()
        return PgvectorSearchRow(
            efSearch: efSearch, recall: ExactNeighbors.recall(results: returned, truth: truth, k: k),
            qps: Double(queries.rows) / elapsed, p50Milliseconds: Percentile.of(latencies, 0.50),
            p99Milliseconds: Percentile.of(latencies, 0.99),
            rowsPerQuery: Double(returned.reduce(0) { $0 + $1.count }) / Double(max(queries.rows, 1)))
    }

    /// The k-NN statement, checked to run on the HNSW index: on a small table the planner would rather scan the
    /// whole table, which measures exact search instead of the index, so sequential scans are disabled.
    private func prepareSearch(k: Int) throws -> PostgresPreparedStatement {
        let sql = "SELECT id FROM \(name) ORDER BY embedding <=> $1::vector LIMIT \(k)"
        try connection.exec("SET enable_seqscan = off")
        let probe = [Float](repeating: 1, count: dimension)
        let plan = try connection.query("EXPLAIN " + sql, [.vector(probe)])
        let lines = try (0..<plan.rowCount).compactMap { try plan.string(row: $0, column: 0) }
        guard lines.contains(where: { $0.contains(indexName) }) else {
            throw PostgresError(
                code: .usage, message: "the k-NN query does not use \(indexName): " + lines.joined(separator: " | "),
                sql: sql)
        }
        return try connection.prepare(sql)
    }
}

import Foundation
import VecdBench
import VecdPostgres

/// The cost of asking PostgreSQL anything with a query vector, without searching: what every pgvector query pays
/// before the index is touched (socket round trip, protocol, executor start, vector input) and an in-process
/// engine does not. Measured with the same driver path as the k-NN queries: a prepared
/// `SELECT vector_dims($1::vector)` with the binary vector parameter and a binary result, one at a time.
public struct PgvectorRoundTrip: Codable, Sendable, Equatable {
    /// Round trips timed.
    public var queries: Int
    /// Round trips per second, one at a time on one connection.
    public var qps: Double
    /// Median time of one round trip.
    public var p50Milliseconds: Double
    /// 99th-percentile time of one round trip.
    public var p99Milliseconds: Double

    enum CodingKeys: String, CodingKey {
        case queries, qps, p50Milliseconds = "p50_ms", p99Milliseconds = "p99_ms"
    }

    /// Sends every query vector once (after `warmupQueries` untimed ones) and checks each answer is its dimension,
    /// so a round trip that did not parse the vector cannot pass for a cheap one.
    static func measure(
        _ connection: PostgresConnection, queries: VectorMatrix<Float>, warmupQueries: Int
    ) throws -> PgvectorRoundTrip {
        let statement = try connection.prepare("SELECT vector_dims($1::vector)")
        func roundTrip(_ query: Int) throws {
            let result = try connection.execute(statement, [.vector(queries.row(query))], resultFormat: .binary)
            guard try result.int(row: 0, column: 0) == queries.dimension else {
                throw PostgresError(
                    code: .decoding,
                    message: "vector_dims answered \(String(describing: try? result.int(row: 0, column: 0))) for a "
                        + "vector of \(queries.dimension) dimensions", sql: statement.sql)
            }
        }
        for query in 0..<min(warmupQueries, queries.rows) { try roundTrip(query) }
        var latencies: [Double] = []
        latencies.reserveCapacity(queries.rows)
        let clock = ContinuousClock()
        let runStart = clock.now
        for query in 0..<queries.rows {
            let start = clock.now
            try roundTrip(query)
            latencies.append((clock.now - start).seconds * 1000)
        }
        let elapsed = (clock.now - runStart).seconds
        latencies.sort()
        return PgvectorRoundTrip(
            queries: queries.rows, qps: Double(queries.rows) / elapsed,
            p50Milliseconds: Percentile.of(latencies, 0.50), p99Milliseconds: Percentile.of(latencies, 0.99))
    }
}

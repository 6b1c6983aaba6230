import Foundation
import VecdIndex
import VecdKernels

/// Measures filtered search: recall@k against the exact top-k among the allowed rows, per selectivity, for filters
/// uncorrelated with the query (a random subset) and correlated against it (only the rows farthest from the query
/// are allowed, so the walk must cross a region where nothing matches).
public struct FilteredBenchmark: Sendable {
    /// How the allowed set relates to the query.
    public enum Correlation: String, Codable, Sendable, CaseIterable {
        case uncorrelated
        case farFromQuery = "far_from_query"
    }

    /// One (selectivity, correlation) measurement.
    public struct Row: Codable, Sendable {
        public var selectivity: Double
        public var correlation: Correlation
        public var recall: Double
        public var meanMilliseconds: Double
        public var p99Milliseconds: Double
        public var distancesPerQuery: Double
        public var completeFraction: Double
        /// How many queries each plan answered, by plan name.
        public var plans: [String: Int]

        enum CodingKeys: String, CodingKey {
            case selectivity, correlation, recall, meanMilliseconds = "mean_ms", p99Milliseconds = "p99_ms"
            case distancesPerQuery = "distances_per_query", completeFraction = "complete_fraction", plans
        }
    }

    public var k: Int
    public var efSearch: Int
    public var selectivities: [Double]

    public init(k: Int, efSearch: Int, selectivities: [Double]) {
        self.k = k
        self.efSearch = efSearch
        self.selectivities = selectivities
    }

    /// Runs every combination on a built `index` whose slot `i` holds `base` row `i`.
    public func run(
        index: HNSWIndex, base: VectorMatrix<Float>, queries: VectorMatrix<Float>, metric: DistanceMetric,
        log: @Sendable (String) -> Void
    ) throws -> [Row] {
        let exact = try FlatIndex(dimension: base.dimension, metric: metric)
        for row in 0..<base.rows { try exact.add(Array(base.row(row))) }
        var rows: [Row] = []
        let clock = ContinuousClock()
        for correlation in Correlation.allCases {
            for selectivity in selectivities {
                let allowedCount = max(1, Int(Double(base.rows) * selectivity))
                var generator = SeededGenerator(seed: UInt64(selectivity * 1e6))
                var hits = 0, distances = 0, complete = 0
                var latencies: [Double] = []
                var plans: [String: Int] = [:]
                for q in 0..<queries.rows {
                    let query = Array(queries.row(q))
                    let allowed: [Slot]
                    switch correlation {
                    case .uncorrelated:
                        allowed = (0..<base.rows).filter { _ in Double.random(in: 0..<1, using: &generator) < selectivity }
                            .map { Slot($0) }
                    case .farFromQuery:
                        allowed = farthest(base: base, query: query, count: allowedCount, metric: metric)
                    }
                    let filter = AllowedSlots(allowed)
                    let truth = try exact.search(query, k: k, filter: filter).map(\.slot)
                    let start = clock.now
                    let result = try index.search(query, parameters: SearchParameters(k: k, efSearch: efSearch), filter: filter)
                    latencies.append((clock.now - start).seconds * 1000)
                    hits += Set(truth).intersection(result.neighbors.map(\.slot)).count
                    distances += result.report.distanceCount
                    if result.report.isComplete { complete += 1 }
                    let plan = result.report.fellBackToExactScan ? "filtered_graph→exact_scan" : result.report.plan.rawValue
                    plans[plan, default: 0] += 1
                }
                latencies.sort()
                let row = Row(
                    selectivity: selectivity, correlation: correlation,
                    recall: Double(hits) / Double(k * queries.rows),
                    meanMilliseconds: latencies.reduce(0, +) / Double(latencies.count),
                    p99Milliseconds: Percentile.of(latencies, 0.99),
                    distancesPerQuery: Double(distances) / Double(queries.rows),
                    completeFraction: Double(complete) / Double(queries.rows), plans: plans)
                rows.append(row)
                log(String(format: "%-15@ selectivity %5.1f%%  recall %.4f  mean %.3f ms  p99 %.3f ms  dist/q %.0f  plans %@",
                           correlation.rawValue as NSString, selectivity * 100, row.recall, row.meanMilliseconds,
                           row.p99Milliseconds, row.distancesPerQuery, plans.description as NSString))
            }
        }
        return rows
    }

    /// The `count` rows farthest from `query`, by a full exact pass (for allowed sets above the k limit).
    private func farthest(base: VectorMatrix<Float>, query: [Float], count: Int, metric: DistanceMetric) -> [Slot] {
        var scored: [(Float, Slot)] = []
        scored.reserveCapacity(base.rows)
        query.withUnsafeBufferPointer { q in
            base.values.withUnsafeBufferPointer { b in
                for row in 0..<base.rows {
                    scored.append((distance(metric, q.baseAddress!, b.baseAddress! + row * base.dimension,
                                            count: base.dimension), Slot(row)))
                }
            }
        }
        scored.sort { $0.0 > $1.0 }
        return scored.prefix(count).map(\.1)
    }
}

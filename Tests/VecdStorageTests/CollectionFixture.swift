import Foundation
import VecdBench
import VecdIndex
import VecdKernels

@testable import VecdStorage

/// Seeded test vectors and helpers shared by the collection tests.
enum CollectionFixture {
    static let dimension = 16

    /// The configuration the tests use: L2 (stored vectors are exactly what was written), small m for speed, and one
    /// build thread, because a parallel insert links nodes in a timing-dependent order and a rebuilt WAL tail would
    /// then answer approximately, not bit for bit, like the original.
    static func configuration(
        flushRowCount: Int = 100_000, metric: DistanceMetric = .l2, sync: WALSyncPolicy = .perWrite
    ) -> CollectionConfiguration {
        CollectionConfiguration(
            name: "docs", parameters: HNSWParameters(dimension: dimension, metric: metric, m: 8, efConstruction: 48),
            syncPolicy: sync, flushRowCount: flushRowCount, buildThreads: 1)
    }

    /// The vector of `id` under `version`: a pure function, so a crashed child's writes can be checked by the parent.
    static func vector(id: UInt64, version: UInt64 = 0) -> [Float] {
        var generator = SeededGenerator(seed: id &* 0x9E37_79B9 &+ version &* 0x85EB_CA6B)
        return (0..<dimension).map { _ in Float(generator.next() >> 40) / Float(1 << 24) - 0.5 }
    }

    /// Seeded query vectors.
    static func queries(_ count: Int, seed: UInt64 = 99) -> [[Float]] {
        (0..<count).map { vector(id: UInt64.max - UInt64($0), version: seed) }
    }

    /// The answers of `collection` to `queries` (k = 10, efSearch = 64).
    static func answers(_ collection: VectorCollection, _ queries: [[Float]]) throws -> [[CollectionHit]] {
        try queries.map { try collection.search($0, k: 10, efSearch: 64) }
    }

    /// The exact k nearest live ids under L2, from a model of id → vector.
    static func exactNearest(_ query: [Float], in model: [UInt64: [Float]], k: Int) -> [UInt64] {
        let scored = model.map { id, v in
            (id, zip(query, v).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) })
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(k).map(\.0)
    }

    /// Mean recall@k of `collection` against the exact answers over `model`.
    static func recall(_ collection: VectorCollection, model: [UInt64: [Float]], queries: [[Float]], k: Int = 10)
        throws -> Double
    {
        var found = 0
        for query in queries {
            let truth = Set(exactNearest(query, in: model, k: k))
            found += try collection.search(query, k: k, efSearch: 100).filter { truth.contains($0.id) }.count
        }
        return Double(found) / Double(queries.count * min(k, model.count))
    }
}

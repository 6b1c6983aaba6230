import Benchmark
import VecdIndex

// Search on a warm 20k × 384 index: wall time, instructions and — the point of this benchmark — heap allocations
// per query, which must be zero after warm-up (pooled scratch, caller-reserved result buffer).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .instructions, .mallocCountTotal, .throughput], maxDuration: .seconds(3))
    let dimension = 384
    let rows = 20_000
    var state: UInt64 = 0x5EED
    func next() -> Float {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(Int64(bitPattern: state >> 11) % 2001) / 1000 - 1
    }
    let centres = (0..<50).map { _ in (0..<dimension).map { _ in next() } }
    let base = (0..<rows).flatMap { r in centres[r % 50].map { $0 + 0.3 * next() } }
    let queries = (0..<100).map { q in centres[(q * 7) % 50].map { $0 + 0.3 * next() } }

    // The same closure shape without the search: whatever it allocates is the harness's, not vecd's.
    Benchmark("baseline: harness only") { benchmark in
        var results: [Neighbor] = []
        results.reserveCapacity(10)
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            queries[i % queries.count].withUnsafeBufferPointer { blackHole($0.count + results.count) }
        }
    }

    for storage in VectorStorageMode.allCases {
        let index = try! HNSWIndex(parameters: HNSWParameters(dimension: dimension, storage: storage))
        base.withUnsafeBufferPointer { _ = try! index.add($0) }
        Benchmark("search k=10 ef=64 \(storage.rawValue)") { benchmark in
            var results: [Neighbor] = []
            results.reserveCapacity(10)
            let parameters = SearchParameters(k: 10, efSearch: 64)
            // Warm the scratch pool so that the measured iterations reuse it.
            _ = queries[0].withUnsafeBufferPointer { try! index.search($0, parameters: parameters, filter: AcceptAll(), into: &results) }
            benchmark.startMeasurement()
            for i in benchmark.scaledIterations {
                let report = queries[i % queries.count].withUnsafeBufferPointer {
                    try! index.search($0, parameters: parameters, filter: AcceptAll(), into: &results)
                }
                blackHole(report.distanceCount)
            }
        }
    }
}

import Benchmark
import VecdKernels

// Distance kernels at the common embedding sizes and an odd tail. Each iteration measures `batch` distances
// against four cycled vectors that stay in L1, so the figure is the kernel, not memory.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .instructions, .mallocCountTotal], maxDuration: .seconds(2))
    for dimension in [384, 1536, 383] {
        let query = (0..<dimension).map { Float(($0 * 7919) % 1000) / 1000 - 0.5 }
        let rows = (0..<4).map { r in (0..<dimension).map { Float((($0 + r) * 104_729) % 1000) / 1000 - 0.5 } }
        let halves = rows.map { $0.map { floatToHalf($0) } }
        let codes = rows.map { $0.map { Int8(clamping: Int(($0 * 254).rounded())) } }
        let queryCodes = query.map { Int8(clamping: Int(($0 * 254).rounded())) }

        Benchmark("f32 dot d=\(dimension)") { benchmark in
            for i in benchmark.scaledIterations {
                query.withUnsafeBufferPointer { q in rows[i & 3].withUnsafeBufferPointer { r in
                    blackHole(dotProduct(q.baseAddress!, r.baseAddress!, count: dimension)) } }
            }
        }
        Benchmark("f32 l2 d=\(dimension)") { benchmark in
            for i in benchmark.scaledIterations {
                query.withUnsafeBufferPointer { q in rows[i & 3].withUnsafeBufferPointer { r in
                    blackHole(squaredEuclideanDistance(q.baseAddress!, r.baseAddress!, count: dimension)) } }
            }
        }
        Benchmark("f32 cosine d=\(dimension)") { benchmark in
            for i in benchmark.scaledIterations {
                query.withUnsafeBufferPointer { q in rows[i & 3].withUnsafeBufferPointer { r in
                    blackHole(cosineDistance(q.baseAddress!, r.baseAddress!, count: dimension)) } }
            }
        }
        Benchmark("f16 dot d=\(dimension)") { benchmark in
            for i in benchmark.scaledIterations {
                query.withUnsafeBufferPointer { q in halves[i & 3].withUnsafeBufferPointer { r in
                    blackHole(dotProduct(q.baseAddress!, half: r.baseAddress!, count: dimension)) } }
            }
        }
        Benchmark("int8 dot d=\(dimension)") { benchmark in
            for i in benchmark.scaledIterations {
                queryCodes.withUnsafeBufferPointer { q in codes[i & 3].withUnsafeBufferPointer { r in
                    blackHole(dotProduct(q.baseAddress!, r.baseAddress!, count: dimension)) } }
            }
        }
        Benchmark("f32×int8 dot d=\(dimension)") { benchmark in
            for i in benchmark.scaledIterations {
                query.withUnsafeBufferPointer { q in codes[i & 3].withUnsafeBufferPointer { r in
                    blackHole(dotProduct(q.baseAddress!, codes: r.baseAddress!, count: dimension)) } }
            }
        }
    }
}

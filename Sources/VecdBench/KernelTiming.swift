import VecdKernels

/// A distance kernel timed by ``KernelTiming``, named as in the C reference (`Benchmarks/reference`).
public enum TimedKernel: String, CaseIterable, Codable, Sendable {
    /// `dotProduct(_:_:count:)` on Float32.
    case f32Dot = "f32_dot"
    /// `squaredEuclideanDistance(_:_:count:)` on Float32.
    case f32SquaredL2 = "f32_l2sq"
    /// One-pass `cosineDistance(_:_:count:)` on Float32.
    case f32Cosine = "f32_cosine"
    /// `dotProduct(_:half:count:)`: Float32 query, binary16 vector.
    case f16Dot = "f16_dot"
    /// `dotProduct(_:_:count:) -> Int32` on Int8 codes.
    case i8Dot = "i8_dot"
    /// `dotProduct(_:codes:count:)`: Float32 query, Int8 codes (the int8 graph walk's kernel).
    case f32I8Dot = "f32_i8_dot"
}

/// One kernel's speed at one dimension, in nanoseconds per distance.
public struct KernelTimingResult: Codable, Sendable {
    public var kernel: TimedKernel
    public var dimension: Int
    /// Query and 4 cycled vectors in L1: the kernel's arithmetic speed. Best of 7 rounds.
    public var hotNanoseconds: Double
    /// 100,000 contiguous vectors, one distance each: the speed when vectors stream from memory. Minimum of 11 rounds.
    public var scanNanoseconds: Double
    /// The kernel on the query and the first vector: must match the C reference's value (same generator).
    public var check: Double

    enum CodingKeys: String, CodingKey {
        case kernel, dimension = "dim", hotNanoseconds = "hot_ns", scanNanoseconds = "scan_ns", check
    }
}

/// All results of one ``KernelTiming/measure(dimensions:scanRows:progress:)`` run, in the C reference's JSON schema.
public struct KernelTimingReport: Codable, Sendable {
    public var implementation = "swift"
    public var scanRows: Int
    public var results: [KernelTimingResult]

    enum CodingKeys: String, CodingKey {
        case implementation, scanRows = "scan_rows", results
    }
}

/// Times vecd's distance kernels under the protocol of `Benchmarks/reference/bench_kernels.c`, so that the two can
/// be compared number for number:
///
/// - hot: the query and 4 vectors cycled in turn (all in L1); 2^22 / dim distances per round, best of 7 rounds;
/// - scan: `scanRows` contiguous vectors (row stride = dim, no padding), one distance each; minimum of 11 rounds.
///
/// One untimed round runs first. Every distance is summed into a black-box sink so that none can be optimized away.
public enum KernelTiming {
    static let hotVectors = 4
    static let hotRounds = 7
    static let scanRounds = 11

    /// Measures every ``TimedKernel`` at each dimension; `progress` receives each result as it is ready.
    ///
    /// `hotDistancesPerRound` overrides the protocol's 2^22 / dim (tests use a small count in debug builds).
    public static func measure(
        dimensions: [Int], scanRows: Int = 100_000, hotDistancesPerRound: Int? = nil,
        progress: (KernelTimingResult) -> Void = { _ in }
    ) -> KernelTimingReport {
        let rows = max(scanRows, hotVectors)
        var results: [KernelTimingResult] = []
        for dimension in dimensions where dimension > 0 {
            let operands = KernelOperands(dimension: dimension, rows: rows)
            defer { operands.deallocate() }
            let hotCount = max(hotDistancesPerRound ?? (1 << 22) / dimension, 1)
            for kernel in TimedKernel.allCases {
                let result = KernelTimingResult(
                    kernel: kernel, dimension: dimension,
                    hotNanoseconds: best(of: hotRounds) { pass(kernel, operands, count: hotCount, mask: hotVectors - 1) },
                    scanNanoseconds: best(of: scanRounds) { pass(kernel, operands, count: rows, mask: Int.max) },
                    check: checkValue(kernel, operands))
                progress(result)
                results.append(result)
            }
        }
        return KernelTimingReport(scanRows: rows, results: results)
    }

    static func best(of rounds: Int, _ round: () -> Double) -> Double {
        _ = round()  // untimed: page faults, frequency ramp, branch predictors
        var best = Double.infinity
        for _ in 0..<rounds { best = min(best, round()) }
        return best
    }

    /// One timed pass of `count` distances, the i-th against row `i & mask`; returns nanoseconds per distance.
    /// One loop per kernel (not a closure per call) so that each loop calls its kernel directly, as the C harness does.
    static func pass(_ kernel: TimedKernel, _ o: KernelOperands, count: Int, mask: Int) -> Double {
        let d = o.dimension
        var total: Double = 0
        let clock = ContinuousClock()
        let start = clock.now
        switch kernel {
        case .f32Dot:
            for i in 0..<count { total += Double(dotProduct(o.query, o.floats + (i & mask) * d, count: d)) }
        case .f32SquaredL2:
            for i in 0..<count { total += Double(squaredEuclideanDistance(o.query, o.floats + (i & mask) * d, count: d)) }
        case .f32Cosine:
            for i in 0..<count { total += Double(cosineDistance(o.query, o.floats + (i & mask) * d, count: d)) }
        case .f16Dot:
            for i in 0..<count { total += Double(dotProduct(o.query, half: o.halves + (i & mask) * d, count: d)) }
        case .i8Dot:
            for i in 0..<count { total += Double(dotProduct(o.queryCodes, o.codes + (i & mask) * d, count: d)) }
        case .f32I8Dot:
            for i in 0..<count { total += Double(dotProduct(o.query, codes: o.codes + (i & mask) * d, count: d)) }
        }
        // Sink before reading the clock: the loop must finish inside the timed region.
        blackHole(total)
        let elapsed = clock.now - start
        return elapsed.seconds * 1e9 / Double(count)
    }

    static func checkValue(_ kernel: TimedKernel, _ o: KernelOperands) -> Double {
        let d = o.dimension
        switch kernel {
        case .f32Dot: return Double(dotProduct(o.query, o.floats, count: d))
        case .f32SquaredL2: return Double(squaredEuclideanDistance(o.query, o.floats, count: d))
        case .f32Cosine: return Double(cosineDistance(o.query, o.floats, count: d))
        case .f16Dot: return Double(dotProduct(o.query, half: o.halves, count: d))
        case .i8Dot: return Double(dotProduct(o.queryCodes, o.codes, count: d))
        case .f32I8Dot: return Double(dotProduct(o.query, codes: o.codes, count: d))
        }
    }
}

// The black box. Both globals are `@usableFromInline`, hence visible outside the module, so the optimizer cannot
// prove them unread: a value stored in the sink must be computed, and a buffer stored in the escape slot may be
// changed by any call the optimizer cannot see into, such as the clock's, so no load moves out of a timed region.
// (An empty `@_optimize(none)` function is not enough: the caller's signature optimization drops its dead argument
// and with it every kernel call.) Only the timing thread writes them; nobody reads them.
@usableFromInline nonisolated(unsafe) var kernelTimingSink: Double = 0
@usableFromInline nonisolated(unsafe) var kernelTimingEscapedBuffer: UnsafeMutableRawPointer?

/// Consumes a value where the optimizer cannot see: the work that produced it must be done.
@inline(never)
func blackHole(_ value: Double) {
    kernelTimingSink += value
}

/// Lets a buffer escape to code the optimizer cannot see (see ``kernelTimingEscapedBuffer``).
@inline(never)
func escape(_ pointer: UnsafeMutableRawPointer) {
    kernelTimingEscapedBuffer = pointer
}

/// The query and the vectors in every representation, 64-byte aligned like the C harness's buffers.
struct KernelOperands {
    let dimension: Int
    let query: UnsafeMutablePointer<Float>
    let queryCodes: UnsafeMutablePointer<Int8>
    let floats: UnsafeMutablePointer<Float>
    let halves: UnsafeMutablePointer<UInt16>
    let codes: UnsafeMutablePointer<Int8>

    /// The query from seed 1 and `rows` vectors from seed 2 (see ``fillUniform(_:count:seed:)``).
    init(dimension: Int, rows: Int) {
        self.dimension = dimension
        let count = rows * dimension
        query = Self.allocate(Float.self, dimension)
        queryCodes = Self.allocate(Int8.self, dimension)
        floats = Self.allocate(Float.self, count)
        halves = Self.allocate(UInt16.self, count)
        codes = Self.allocate(Int8.self, count)
        Self.fillUniform(query, count: dimension, seed: 1)
        Self.fillUniform(floats, count: count, seed: 2)
        for i in 0..<dimension { queryCodes[i] = Self.code(query[i]) }
        for i in 0..<count {
            halves[i] = floatToHalf(floats[i])
            codes[i] = Self.code(floats[i])
        }
        for pointer in pointers { escape(pointer) }
    }

    var pointers: [UnsafeMutableRawPointer] {
        [UnsafeMutableRawPointer(query), UnsafeMutableRawPointer(queryCodes), UnsafeMutableRawPointer(floats),
         UnsafeMutableRawPointer(halves), UnsafeMutableRawPointer(codes)]
    }

    func deallocate() {
        for pointer in pointers { pointer.deallocate() }
    }

    static func allocate<T>(_ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
        UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<T>.stride, alignment: 64)
            .bindMemory(to: T.self, capacity: max(count, 1))
    }

    /// Values in [-0.5, 0.5) from the C harness's LCG: state = state·1664525 + 1013904223 (mod 2^32),
    /// value = (state >> 8) / 2^24 − 0.5.
    static func fillUniform(_ out: UnsafeMutablePointer<Float>, count: Int, seed: UInt32) {
        var state = seed
        for i in 0..<count {
            state = state &* 1_664_525 &+ 1_013_904_223
            out[i] = Float(state >> 8) * (1 / 16_777_216) - 0.5
        }
    }

    /// The C harness's int8 code: round(value · 254), clamped to -127...127.
    static func code(_ value: Float) -> Int8 {
        Int8(min(max((value * 254).rounded(), -127), 127))
    }
}

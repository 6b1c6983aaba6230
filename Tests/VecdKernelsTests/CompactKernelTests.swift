import Testing
import VecdBench
import VecdKernels

@Suite("Float16 and Int8 kernels")
struct CompactKernelTests {
    @Test("halfToFloat agrees with Float16 for all 65,536 bit patterns")
    func halfConversionExhaustive() {
        for bits in 0...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let got = halfToFloat(bits)
            if expected.isNaN {
                #expect(got.isNaN)
            } else if got != expected || got.sign != expected.sign {
                Issue.record("bits \(bits): expected \(expected), got \(got)")
            }
        }
    }

    @Test("dot and squared L2 over Float16 storage match a Double reference", arguments: kernelDimensions)
    func halfKernels(dimension: Int) {
        var random = RandomVectors(generator: SeededGenerator(seed: 100 + UInt64(dimension)))
        let a = random.vector(dimension)
        let b = random.vector(dimension)
        let half = b.map { floatToHalf($0) }
        let widened = half.map { halfToFloat($0) }
        let dot = a.withUnsafeBufferPointer { pa in half.withUnsafeBufferPointer { pb in
            dotProduct(pa.baseAddress!, half: pb.baseAddress!, count: dimension) } }
        let l2 = a.withUnsafeBufferPointer { pa in half.withUnsafeBufferPointer { pb in
            squaredEuclideanDistance(pa.baseAddress!, half: pb.baseAddress!, count: dimension) } }
        // Accumulation is checked against the widened values; the storage rounding itself is at most 2^-11 relative.
        #expect(abs(Double(dot) - Reference.dot(a, widened)) <= Reference.dotTolerance(a, widened))
        #expect(abs(Double(l2) - Reference.squaredL2(a, widened)) <= Reference.l2Tolerance(a, widened))
        for (original, stored) in zip(b, widened) { #expect(abs(original - stored) <= abs(original) / 2048 + 1e-7) }
    }

    @Test("Int8 code products are exact, including the extremes", arguments: kernelDimensions)
    func int8Exact(dimension: Int) {
        var generator = SeededGenerator(seed: 200 + UInt64(dimension))
        let a = (0..<dimension).map { _ in Int8.random(in: -127...127, using: &generator) }
        let b = (0..<dimension).map { _ in Int8.random(in: -127...127, using: &generator) }
        let expected = zip(a, b).reduce(Int64(0)) { $0 + Int64($1.0) * Int64($1.1) }
        let got = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
            dotProduct(pa.baseAddress!, pb.baseAddress!, count: dimension) } }
        #expect(Int64(got) == expected)
        let extreme = [Int8](repeating: -127, count: dimension)
        let square = extreme.withUnsafeBufferPointer { p in dotProduct(p.baseAddress!, p.baseAddress!, count: dimension) }
        #expect(Int64(square) == Int64(dimension) * 127 * 127)
    }

    @Test("the scalar quantizer reconstructs within half a step and its prepared dot matches", arguments: [16, 383, 384])
    func quantizerRoundTrip(dimension: Int) {
        var random = RandomVectors(generator: SeededGenerator(seed: 300 + UInt64(dimension)))
        var training: [Float] = []
        for _ in 0..<200 { training += random.vector(dimension) }
        training[0] = 40  // an outlier dimension, as text-embedding models have, stays within its own range
        let quantizer = training.withUnsafeBufferPointer { ScalarQuantizer(training: $0, dimension: dimension) }
        let vector = Array(training[dimension..<(2 * dimension)])
        var codes = [Int8](repeating: 0, count: dimension)
        var decoded = [Float](repeating: 0, count: dimension)
        vector.withUnsafeBufferPointer { v in codes.withUnsafeMutableBufferPointer { c in
            quantizer.encode(v.baseAddress!, into: c.baseAddress!) } }
        codes.withUnsafeBufferPointer { c in decoded.withUnsafeMutableBufferPointer { d in
            quantizer.decode(c.baseAddress!, into: d.baseAddress!) } }
        for i in 0..<dimension { #expect(abs(decoded[i] - vector[i]) <= quantizer.steps[i] * 0.5001) }
        let query = random.vector(dimension)
        var scaled = [Float](repeating: 0, count: dimension)
        let constant = query.withUnsafeBufferPointer { q in scaled.withUnsafeMutableBufferPointer { s in
            quantizer.prepare(query: q.baseAddress!, into: s.baseAddress!) } }
        let fast = constant + scaled.withUnsafeBufferPointer { s in codes.withUnsafeBufferPointer { c in
            dotProduct(s.baseAddress!, codes: c.baseAddress!, count: dimension) } }
        #expect(abs(Double(fast) - Reference.dot(query, decoded)) <= 1e-3 * Double(dimension).squareRoot())
    }

    @Test("NaN and infinity are refused with the offending component", arguments: [Float.nan, .infinity, -.infinity])
    func nonFiniteRejected(value: Float) {
        var v = [Float](repeating: 0.5, count: 17)
        v[9] = value
        #expect(throws: VectorValidationError.nonFiniteComponent(index: 9)) {
            try v.withUnsafeBufferPointer { try validateVector($0, dimension: 17) }
        }
        #expect(throws: VectorValidationError.dimensionMismatch(expected: 16, got: 17)) {
            try v.withUnsafeBufferPointer { try validateVector($0, dimension: 16) }
        }
    }
}

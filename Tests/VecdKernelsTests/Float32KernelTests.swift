import Testing
import VecdBench
import VecdKernels

/// Double-precision references the kernels are checked against.
enum Reference {
    static func dot(_ a: [Float], _ b: [Float]) -> Double {
        zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    static func squaredL2(_ a: [Float], _ b: [Float]) -> Double {
        zip(a, b).reduce(0.0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }
    }

    static func cosineDistance(_ a: [Float], _ b: [Float]) -> Double {
        let na = dot(a, a).squareRoot(), nb = dot(b, b).squareRoot()
        guard na > 0, nb > 0 else { return 1 }
        return 1 - min(max(dot(a, b) / (na * nb), -1), 1)
    }

    /// Allowed Float32 accumulation error: relative to the sum of the terms' magnitudes (reassociated sums of n
    /// terms stay far inside the worst-case n·ε bound; a wrong kernel is off by O(1) of that sum).
    static func tolerance(terms: [Double]) -> Double { 1e-5 * terms.reduce(0) { $0 + abs($1) } + 1e-37 }
    static func dotTolerance(_ a: [Float], _ b: [Float]) -> Double {
        tolerance(terms: zip(a, b).map { Double($0) * Double($1) })
    }
    static func l2Tolerance(_ a: [Float], _ b: [Float]) -> Double {
        tolerance(terms: zip(a, b).map { (Double($0) - Double($1)) * (Double($0) - Double($1)) })
    }
}

struct RandomVectors {
    var generator: SeededGenerator
    mutating func vector(_ count: Int, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in Float.random(in: -1...1, using: &generator) * scale }
    }
}

let kernelDimensions = [1, 3, 15, 16, 17, 383, 384, 768, 1536, 4096]

@Suite("Float32 kernels")
struct Float32KernelTests {
    @Test("dot, squared L2 and cosine match a Double reference", arguments: kernelDimensions)
    func matchesReference(dimension: Int) {
        var random = RandomVectors(generator: SeededGenerator(seed: UInt64(dimension)))
        for _ in 0..<20 {
            let a = random.vector(dimension), b = random.vector(dimension)
            let dot = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                dotProduct(pa.baseAddress!, pb.baseAddress!, count: dimension) } }
            let l2 = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                squaredEuclideanDistance(pa.baseAddress!, pb.baseAddress!, count: dimension) } }
            let cosine = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                cosineDistance(pa.baseAddress!, pb.baseAddress!, count: dimension) } }
            #expect(abs(Double(dot) - Reference.dot(a, b)) <= Reference.dotTolerance(a, b))
            #expect(abs(Double(l2) - Reference.squaredL2(a, b)) <= Reference.l2Tolerance(a, b))
            #expect(abs(Double(cosine) - Reference.cosineDistance(a, b)) <= 1e-5)
        }
    }

    @Test("huge and tiny magnitudes stay accurate relative to their scale", arguments: [Float(1e18), 1e-18])
    func extremeMagnitudes(scale: Float) {
        var random = RandomVectors(generator: SeededGenerator(seed: 7))
        let a = random.vector(384, scale: scale), b = random.vector(384, scale: scale)
        let dot = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
            dotProduct(pa.baseAddress!, pb.baseAddress!, count: 384) } }
        let cosine = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
            cosineDistance(pa.baseAddress!, pb.baseAddress!, count: 384) } }
        let expected = Reference.dot(a, b)
        #expect(dot.isFinite)
        #expect(abs(Double(dot) - expected) <= Reference.dotTolerance(a, b))
        #expect(abs(Double(cosine) - Reference.cosineDistance(a, b)) <= 1e-5)
    }

    @Test("a zero vector under cosine has distance 1 to everything, itself included")
    func zeroVectorCosine() {
        let zero = [Float](repeating: 0, count: 384)
        var random = RandomVectors(generator: SeededGenerator(seed: 3))
        let other = random.vector(384)
        for pair in [(zero, other), (other, zero), (zero, zero)] {
            let d = pair.0.withUnsafeBufferPointer { pa in pair.1.withUnsafeBufferPointer { pb in
                cosineDistance(pa.baseAddress!, pb.baseAddress!, count: 384) } }
            #expect(d == 1)
        }
    }

    @Test("cosine of identical and opposite vectors is 0 and 2 (clamped, like pgvector)")
    func cosineBounds() {
        var random = RandomVectors(generator: SeededGenerator(seed: 11))
        let a = random.vector(1536)
        let negated = a.map { -$0 }
        let same = a.withUnsafeBufferPointer { pa in cosineDistance(pa.baseAddress!, pa.baseAddress!, count: 1536) }
        let opposite = a.withUnsafeBufferPointer { pa in negated.withUnsafeBufferPointer { pb in
            cosineDistance(pa.baseAddress!, pb.baseAddress!, count: 1536) } }
        #expect(same >= 0 && same < 1e-6)
        #expect(opposite <= 2 && opposite > 2 - 1e-6)
    }

    @Test("normalize reaches unit length even when the sum of squares overflows or underflows",
          arguments: [Float(3e30), 1e-30, 1])
    func normalizeExtremes(scale: Float) {
        var random = RandomVectors(generator: SeededGenerator(seed: 5))
        var v = random.vector(384, scale: scale)
        _ = v.withUnsafeMutableBufferPointer { normalize($0.baseAddress!, count: 384) }
        #expect(abs(Reference.dot(v, v) - 1) < 1e-5)
    }

    @Test("normalize makes unit length and leaves a zero vector zero")
    func normalizeVectors() {
        var v: [Float] = [3, 4]
        let length = v.withUnsafeMutableBufferPointer { normalize($0.baseAddress!, count: 2) }
        #expect(length == 5)
        #expect(abs(v[0] - 0.6) < 1e-7 && abs(v[1] - 0.8) < 1e-7)
        var zero: [Float] = [0, 0, 0]
        _ = zero.withUnsafeMutableBufferPointer { normalize($0.baseAddress!, count: 3) }
        #expect(zero == [0, 0, 0])
    }

    @Test("reported distances follow pgvector's operators")
    func reportedDistances() {
        let a: [Float] = [1, 2, 2], b: [Float] = [2, 0, 0]
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
            #expect(distance(.dot, pa.baseAddress!, pb.baseAddress!, count: 3) == -2)
            #expect(abs(distance(.l2, pa.baseAddress!, pb.baseAddress!, count: 3) - Float(9).squareRoot()) < 1e-6)
            #expect(abs(distance(.cosine, pa.baseAddress!, pb.baseAddress!, count: 3) - (1 - 2.0 / 6.0)) < 1e-6)
        } }
    }
}

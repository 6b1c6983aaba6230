import VecdBench
import VecdIndex
import VecdKernels
import VecdStorage

/// A small, internally consistent graph in the in-memory layout of `HNSWIndex`, made from a seeded generator:
/// vectors, compact copies, levels, ground and upper link records that stay in range, and ids.
struct SegmentFixture {
    var parameters: HNSWParameters
    var rowCount: Int
    var vectors: [Float]
    var compact: [UInt8]
    var quantizer: ScalarQuantizer?
    var groundLinks: [UInt32]
    var levels: [UInt8]
    var upperLinks: [UInt32]
    var ids: SegmentIDs
    var entryPoint: SegmentEntryPoint?

    init(
        rows: Int, dimension: Int = 5, m: Int = 4, storage: VectorStorageMode = .float32, byteIDs: Bool = false,
        seed: UInt64 = 42
    ) {
        var rng = SeededGenerator(seed: seed)
        parameters = HNSWParameters(
            dimension: dimension, metric: .cosine, m: m, efConstruction: 2 * m, storage: storage, seed: seed)
        rowCount = rows
        vectors = (0..<rows * dimension).map { _ in Float.random(in: -1...1, using: &rng) }
        levels = (0..<rows).map { _ in UInt8([0, 0, 0, 0, 0, 1, 1, 2].randomElement(using: &rng)!) }
        groundLinks = []
        for _ in 0..<rows {
            let count = rows > 1 ? Int.random(in: 1...min(2 * m, rows - 1), using: &rng) : 0
            groundLinks.append(UInt32(count))
            for i in 0..<2 * m { groundLinks.append(i < count ? UInt32.random(in: 0..<UInt32(rows), using: &rng) : 0) }
        }
        upperLinks = []
        for slot in 0..<rows where levels[slot] > 0 {
            for _ in 0..<levels[slot] {
                let count = Int.random(in: 0...m, using: &rng)
                upperLinks.append(UInt32(count))
                for i in 0..<m { upperLinks.append(i < count ? UInt32.random(in: 0..<UInt32(rows), using: &rng) : 0) }
            }
        }
        if rows > 0 {
            let top = levels.max()!
            entryPoint = SegmentEntryPoint(slot: UInt32(levels.firstIndex(of: top)!), level: Int(top))
        }
        ids =
            byteIDs
            ? .bytes((0..<rows).map { Array("doc-\($0)-\(String(repeating: "x", count: $0 % 5))".utf8) })
            : .numbers((0..<rows).map { UInt64($0) * 10 + 1 })
        compact = []
        switch storage {
        case .float32: break
        case .float16:
            let halves = vectors.map { Float16($0).bitPattern }
            compact = halves.withUnsafeBytes { Array($0) }
        case .int8:
            let q = vectors.withUnsafeBufferPointer { ScalarQuantizer(training: $0, dimension: dimension) }
            quantizer = q
            var codes = [Int8](repeating: 0, count: vectors.count)
            for row in 0..<rows {
                vectors.withUnsafeBufferPointer { v in
                    codes.withUnsafeMutableBufferPointer { c in
                        q.encode(v.baseAddress! + row * dimension, into: c.baseAddress! + row * dimension)
                    }
                }
            }
            compact = codes.map { UInt8(bitPattern: $0) }
        }
    }

    /// Writes the fixture with `SegmentWriter`.
    func write(to path: String, pageByteCount: Int = SegmentWriter.defaultPageByteCount, segmentID: UInt64 = 1) throws {
        try vectors.withUnsafeBytes { v in
            try compact.withUnsafeBytes { c in
                try groundLinks.withUnsafeBytes { g in
                    try levels.withUnsafeBytes { l in
                        try upperLinks.withUnsafeBytes { u in
                            let contents = SegmentContents(
                                segmentID: segmentID, parameters: parameters, rowCount: rowCount, vectors: v,
                                compactVectors: parameters.storage == .float32 ? nil : c, quantizer: quantizer,
                                groundLinks: g, levels: l, upperLinks: u, ids: ids, entryPoint: entryPoint)
                            try SegmentWriter.write(contents, to: path, pageByteCount: pageByteCount)
                        }
                    }
                }
            }
        }
    }
}

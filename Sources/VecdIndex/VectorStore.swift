import VecdKernels

/// The vectors of an index: Float32 rows (they build the graph and re-rank results) and, in the compact modes, a
/// Float16 or Int8 copy that the graph walk reads. A read-only index in low-RAM mode has no Float32 rows in memory:
/// `rowSource` reads the few the re-rank needs from storage.
///
/// Under ``DistanceMetric/cosine`` rows are stored unit-length, so cosine distance is `1 - a·b`; a zero vector is
/// stored as zero and lies at distance 1 from everything.
final class VectorStore: @unchecked Sendable {
    let dimension: Int
    let metric: DistanceMetric
    let mode: VectorStorageMode
    let floats: RowBuffer
    /// Compact copy for the walk, packed as in a segment file: `dimension` binary16 or Int8 values per row.
    let codes: RowBuffer?
    /// Squared norm of each decoded Int8 row; only L2 needs it.
    let codeNorms: RowBuffer?
    private(set) var quantizer: ScalarQuantizer?
    /// Where the Float32 rows are read from when `floats` holds none (low-RAM mode); nil when `floats` has them.
    let rowSource: (any RerankRowSource)?

    /// Rows needed before the Int8 ranges are learned; until then the walk reads Float32.
    static let quantizerTrainingRows = 1000

    init(dimension: Int, metric: DistanceMetric, mode: VectorStorageMode) {
        self.dimension = dimension
        self.metric = metric
        self.mode = mode
        floats = RowBuffer(rowByteCount: dimension * 4)
        switch mode {
        case .float32: codes = nil
        case .float16: codes = RowBuffer(rowByteCount: dimension * 2)
        case .int8: codes = RowBuffer(rowByteCount: dimension)
        }
        codeNorms = mode == .int8 && metric == .l2 ? RowBuffer(rowByteCount: 4) : nil
        rowSource = nil
    }

    /// A read-only store over rows that live in a mapped segment. Int8 row norms (L2 only) are recomputed, since a
    /// segment does not store them. With a `rowSource`, `floats` is not read (pass any pointer and zero rows are
    /// borrowed): the re-rank reads Float32 rows from the source.
    init(
        dimension: Int, metric: DistanceMetric, mode: VectorStorageMode, rows: Int, floats: UnsafeRawPointer,
        codes: UnsafeRawPointer?, quantizer: ScalarQuantizer?, rowSource: (any RerankRowSource)? = nil,
        owner: AnyObject
    ) {
        self.dimension = dimension
        self.metric = metric
        self.mode = mode
        self.rowSource = rowSource
        self.floats = RowBuffer(
            borrowing: floats, rows: rowSource == nil ? rows : 0, rowByteCount: dimension * 4, owner: owner)
        self.codes = codes.map {
            RowBuffer(borrowing: $0, rows: rows, rowByteCount: dimension * mode.bytesPerComponent, owner: owner)
        }
        self.quantizer = quantizer
        codeNorms = mode == .int8 && metric == .l2 && quantizer != nil ? RowBuffer(rowByteCount: 4, capacity: rows) : nil
        if codeNorms != nil { for slot in 0..<rows { storeCodeNorm(Slot(slot)) } }
    }

    func reserve(rows: Int, exact: Bool = false) {
        floats.reserve(rows: rows, exact: exact)
        codes?.reserve(rows: rows, exact: exact)
        codeNorms?.reserve(rows: rows, exact: exact)
    }

    @inline(__always)
    func vector(_ slot: Slot) -> UnsafeMutablePointer<Float> {
        floats.row(Int(slot)).assumingMemoryBound(to: Float.self)
    }

    /// A copy of the Float32 row of `slot`, from memory or from the row source; nil when the source failed.
    func copyVector(_ slot: Slot) -> [Float]? {
        var copy = [Float](repeating: 0, count: dimension)
        let read = copy.withUnsafeMutableBufferPointer { target -> Bool in
            guard let rowSource else {
                target.baseAddress!.update(from: vector(slot), count: dimension)
                return true
            }
            return rowSource.readRow(slot, into: target.baseAddress!)
        }
        return read ? copy : nil
    }

    /// Whether the walk reads the compact copy (Int8 waits for its training rows).
    var walksCompactCodes: Bool { mode == .float16 || quantizer != nil }

    /// Copies `source` into row `slot`, normalizing for cosine, and encodes the compact copy.
    func write(_ source: UnsafePointer<Float>, to slot: Slot) {
        let row = vector(slot)
        row.update(from: source, count: dimension)
        if metric == .cosine { normalize(row, count: dimension) }
        encode(slot)
    }

    private func encode(_ slot: Slot) {
        guard let codes else { return }
        let row = vector(slot)
        let target = codes.row(Int(slot))
        switch mode {
        case .float32: return
        case .float16:
            let half = target.assumingMemoryBound(to: UInt16.self)
            for i in 0..<dimension { half[i] = floatToHalf(row[i]) }
        case .int8:
            guard let quantizer else { return }
            quantizer.encode(row, into: target.assumingMemoryBound(to: Int8.self))
            storeCodeNorm(slot)
        }
    }

    private func storeCodeNorm(_ slot: Slot) {
        guard let codeNorms, let codes, let quantizer else { return }
        let code = codes.row(Int(slot)).assumingMemoryBound(to: Int8.self)
        var decodedNorm: Float = 0
        for i in 0..<dimension {
            let value = quantizer.offsets[i] + quantizer.steps[i] * Float(code[i])
            decodedNorm += value * value
        }
        codeNorms.row(Int(slot)).storeBytes(of: decodedNorm, as: Float.self)
    }

    /// Learns the Int8 ranges from the first `rows` rows and encodes them; called once, under the write lock.
    func trainQuantizerIfReady(rows: Int) {
        guard mode == .int8, quantizer == nil, rows >= Self.quantizerTrainingRows else { return }
        quantizer = ScalarQuantizer(
            training: UnsafeBufferPointer(start: vector(0), count: rows * dimension), dimension: dimension)
        for slot in 0..<rows { encode(Slot(slot)) }
    }

    /// Distance between two stored rows, in the index's internal scale (squared for L2, `1 - dot` for cosine).
    @inline(__always)
    func distance(_ a: Slot, _ b: Slot) -> Float {
        distance(query: vector(a), to: b)
    }

    /// Exact Float32 distance from a prepared query to a stored row, internal scale.
    @inline(__always)
    func distance(query: UnsafePointer<Float>, to slot: Slot) -> Float {
        internalDistance(query, vector(slot), dimension: dimension, metric: metric)
    }

    /// Converts an internal distance to the one reported to users (see ``DistanceMetric``).
    @inline(__always)
    func reported(_ value: Float) -> Float {
        switch metric {
        case .cosine: return min(max(value, 0), 2)
        case .dot: return value
        case .l2: return max(value, 0).squareRoot()
        }
    }

    var byteCount: Int { floats.byteCount + (codes?.byteCount ?? 0) + (codeNorms?.byteCount ?? 0) }
}

/// Exact Float32 distance in the index's internal scale (`1 - dot` for cosine, `-dot` for dot, squared for L2): the
/// one formula the walk, the re-rank and stored-row comparisons share.
@inline(__always)
func internalDistance(
    _ query: UnsafePointer<Float>, _ row: UnsafePointer<Float>, dimension: Int, metric: DistanceMetric
) -> Float {
    switch metric {
    case .cosine: return 1 - dotProduct(query, row, count: dimension)
    case .dot: return -dotProduct(query, row, count: dimension)
    case .l2: return squaredEuclideanDistance(query, row, count: dimension)
    }
}

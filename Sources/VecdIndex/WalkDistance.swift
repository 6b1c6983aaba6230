import CVecdPlatform
import VecdKernels

/// Distance from the current query to a stored slot, as the graph walk measures it. Each storage mode has its own
/// conforming type so that the walk is specialized per mode and reads raw pointers only.
protocol WalkDistance {
    func callAsFunction(_ slot: Slot) -> Float
    /// Starts loading the row of `slot` into cache ahead of ``callAsFunction(_:)``.
    func prefetch(_ slot: Slot)
}

/// Bytes of a row to prefetch: the first eight cache lines. On debian-384 (1,536-byte rows) 512 beat 0, 128, 256
/// and whole rows (which crowd out the lines already in flight); the hardware prefetcher follows the rest.
let prefetchByteCount = 512

/// Exact Float32 distance (internal scale: `1 - dot` for cosine, squared for L2).
struct Float32Walk: WalkDistance {
    let rows: UnsafeMutableRawPointer
    let rowByteCount: Int
    let query: UnsafePointer<Float>
    let dimension: Int
    let metric: DistanceMetric

    init(store: VectorStore, query: UnsafePointer<Float>) {
        rows = store.floats.base
        rowByteCount = store.floats.rowByteCount
        self.query = query
        dimension = store.dimension
        metric = store.metric
    }

    @inline(__always)
    func prefetch(_ slot: Slot) {
        vecd_prefetch_range(rows + Int(slot) * rowByteCount, min(rowByteCount, prefetchByteCount))
    }

    @inline(__always)
    func callAsFunction(_ slot: Slot) -> Float {
        let row = (rows + Int(slot) * rowByteCount).assumingMemoryBound(to: Float.self)
        return internalDistance(query, row, dimension: dimension, metric: metric)
    }
}

/// Float32 query against the Float16 copy.
struct Float16Walk: WalkDistance {
    let rows: UnsafeMutableRawPointer
    let rowByteCount: Int
    let query: UnsafePointer<Float>
    let dimension: Int
    let metric: DistanceMetric

    init(store: VectorStore, codes: RowBuffer, query: UnsafePointer<Float>) {
        rows = codes.base
        rowByteCount = codes.rowByteCount
        self.query = query
        dimension = store.dimension
        metric = store.metric
    }

    @inline(__always)
    func prefetch(_ slot: Slot) {
        vecd_prefetch_range(rows + Int(slot) * rowByteCount, min(rowByteCount, prefetchByteCount))
    }

    @inline(__always)
    func callAsFunction(_ slot: Slot) -> Float {
        let row = (rows + Int(slot) * rowByteCount).assumingMemoryBound(to: UInt16.self)
        switch metric {
        case .cosine: return 1 - dotProduct(query, half: row, count: dimension)
        case .dot: return -dotProduct(query, half: row, count: dimension)
        case .l2: return squaredEuclideanDistance(query, half: row, count: dimension)
        }
    }
}

/// Float32 query against the Int8 copy: `q·x ≈ constant + scaledQuery·codes` (see ``ScalarQuantizer``).
struct Int8Walk: WalkDistance {
    let rows: UnsafeMutableRawPointer
    let rowByteCount: Int
    let norms: UnsafeMutableRawPointer?
    let scaledQuery: UnsafePointer<Float>
    let constant: Float
    let querySquaredNorm: Float
    let dimension: Int
    let metric: DistanceMetric

    init(store: VectorStore, codes: RowBuffer, scaledQuery: UnsafePointer<Float>, constant: Float, querySquaredNorm: Float) {
        rows = codes.base
        rowByteCount = codes.rowByteCount
        norms = store.codeNorms?.base
        self.scaledQuery = scaledQuery
        self.constant = constant
        self.querySquaredNorm = querySquaredNorm
        dimension = store.dimension
        metric = store.metric
    }

    @inline(__always)
    func prefetch(_ slot: Slot) {
        vecd_prefetch_range(rows + Int(slot) * rowByteCount, min(rowByteCount, prefetchByteCount))
    }

    @inline(__always)
    func callAsFunction(_ slot: Slot) -> Float {
        let row = rows + Int(slot) * rowByteCount
        let dot = constant + dotProduct(scaledQuery, codes: row.assumingMemoryBound(to: Int8.self), count: dimension)
        switch metric {
        case .cosine: return 1 - dot
        case .dot: return -dot
        case .l2: return querySquaredNorm - 2 * dot + (norms! + Int(slot) * 4).load(as: Float.self)
        }
    }
}

import VecdKernels

/// Where an index that keeps no Float32 rows in memory reads the few it re-ranks: the low-RAM serving mode, in which
/// the graph walk reads only the compact (Float16 or Int8) copy and the graph, and the exact re-rank reads the top
/// candidates' Float32 rows from storage that is not kept resident (a segment's `vectors.f32` block, read with
/// `pread`).
///
/// Implementations are called from many search threads at once and must not allocate.
public protocol RerankRowSource: Sendable {
    /// Copies the Float32 row of `slot` (`dimension` floats, unit length under cosine) into `destination`.
    /// Returns false when the row could not be read (an I/O error); the caller then keeps the compact distance.
    func readRow(_ slot: Slot, into destination: UnsafeMutablePointer<Float>) -> Bool
}

/// Exact Float32 distance to a row read from a ``RerankRowSource`` into a scratch row. Returns NaN when the row could
/// not be read, so that the re-rank keeps the candidate's compact distance instead of inventing one.
struct SourceRowDistance: WalkDistance {
    let source: any RerankRowSource
    let row: UnsafeMutablePointer<Float>
    let query: UnsafePointer<Float>
    let dimension: Int
    let metric: DistanceMetric

    init(source: any RerankRowSource, row: UnsafeMutablePointer<Float>, query: UnsafePointer<Float>,
         store: VectorStore) {
        self.source = source
        self.row = row
        self.query = query
        dimension = store.dimension
        metric = store.metric
    }

    /// Rows come from storage, not from memory this thread could prefetch.
    @inline(__always)
    func prefetch(_ slot: Slot) {}

    @inline(__always)
    func callAsFunction(_ slot: Slot) -> Float {
        guard source.readRow(slot, into: row) else { return .nan }
        return internalDistance(query, row, dimension: dimension, metric: metric)
    }
}

/// How many of a walk's candidates a row-source re-rank reads: every row read is a system call (and, when the page
/// cache has dropped it, a disk read), so only the best candidates by compact distance are re-ranked. Four times `k`
/// (at least 40) keeps the true top 10 on debian-384-like data, where Int8 distances misorder only near ties; a
/// quarter of efSearch lets a larger efSearch still buy recall.
@inline(__always)
func rowSourceRerankCount(k: Int, ef: Int, candidates: Int) -> Int {
    min(candidates, max(4 * k, 40, ef / 4))
}

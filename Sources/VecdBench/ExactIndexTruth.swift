import Dispatch
import VecdIndex
import VecdKernels

/// Ground truth and nearest-neighbour distances from vecd's exact index (``FlatIndex``: every live vector measured
/// with the same kernels as the graph), for sets too large for the Double-precision oracle (1M × 1,000 queries).
public enum ExactIndexTruth {
    /// The exact index over every row of `base` (slot r is row r).
    public static func index(_ base: VectorMatrix<Float>, metric: DistanceMetric) throws -> FlatIndex {
        let flat = try FlatIndex(dimension: base.dimension, metric: metric)
        for row in 0..<base.rows { try flat.add(Array(base.row(row))) }
        return flat
    }

    /// For each query row, the `k` nearest slots of `index` and their distances, on `threads` threads.
    public static func neighbors(
        of queries: VectorMatrix<Float>, in index: FlatIndex, k: Int, threads: Int
    ) throws -> (ids: VectorMatrix<Int32>, distances: VectorMatrix<Float>) {
        let ids = UnsafeMutableBufferPointer<Int32>.allocate(capacity: queries.rows * k)
        let distances = UnsafeMutableBufferPointer<Float>.allocate(capacity: queries.rows * k)
        defer {
            ids.deallocate()
            distances.deallocate()
        }
        ids.initialize(repeating: -1)
        distances.initialize(repeating: .infinity)
        nonisolated(unsafe) let sharedIDs = ids
        nonisolated(unsafe) let sharedDistances = distances
        let failures = Failures()
        let workers = max(1, threads)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for q in stride(from: worker, to: queries.rows, by: workers) {
                do {
                    for (i, hit) in try index.search(Array(queries.row(q)), k: k).enumerated() {
                        sharedIDs[q * k + i] = Int32(hit.slot)
                        sharedDistances[q * k + i] = hit.distance
                    }
                } catch { failures.record(error) }
            }
        }
        if let error = failures.first { throw error }
        return (
            VectorMatrix(rows: queries.rows, dimension: k, values: Array(ids)),
            VectorMatrix(rows: queries.rows, dimension: k, values: Array(distances))
        )
    }

    /// The distance from each of `rows` (row numbers of the set `index` holds) to its nearest *other* row.
    public static func nearestOtherDistances(
        rows: [Int], of set: VectorMatrix<Float>, in index: FlatIndex, threads: Int
    ) throws -> [Float] {
        let sample = VectorMatrix(
            rows: rows.count, dimension: set.dimension, values: rows.flatMap { Array(set.row($0)) })
        let found = try neighbors(of: sample, in: index, k: 2, threads: threads)
        return rows.indices.map { i in
            // The row itself is normally first (distance 0); an exact duplicate may come first instead.
            Int(found.ids.values[i * 2]) == rows[i] ? found.distances.values[i * 2 + 1] : found.distances.values[i * 2]
        }
    }
}

/// The first error any worker thread met.
private final class Failures: @unchecked Sendable {  // guarded by lock
    private let lock = DispatchSemaphore(value: 1)
    private var errors: [any Error] = []

    func record(_ error: any Error) {
        lock.wait()
        errors.append(error)
        lock.signal()
    }

    var first: (any Error)? {
        lock.wait()
        defer { lock.signal() }
        return errors.first
    }
}

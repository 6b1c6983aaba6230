import Foundation
import VecdIndex

/// The serving phase of `vecd bench lowram`: map a segment file and run the queries, reporting memory as the process
/// sees it. Run it in a process that loaded nothing else, or the input sets and a build's heap count too.
public enum LowRAMServe {
    /// Maps `segment`, measures recall@k and latency at each efSearch, and reads /proc/self/status after the open and
    /// after the queries.
    public static func run(
        segment: String, queries: VectorMatrix<Float>, truth: VectorMatrix<Int32>, k: Int, efSearchValues: [Int],
        log: @escaping @Sendable (String) -> Void
    ) throws -> MappedServeReport {
        let clock = ContinuousClock()
        let start = clock.now
        let mapped = try MappedSegmentIndex(path: segment)
        let openMilliseconds = (clock.now - start).seconds * 1000
        let afterOpen = ProcessMemory.status()
        let parameters = mapped.index.parameters
        let rowCount = mapped.rowCount
        log("serving \(segment): \(rowCount) rows, storage \(parameters.storage.rawValue), "
            + String(format: "opened in %.1f ms", openMilliseconds))
        let benchmark = ANNBenchmark(parameters: parameters, k: k, efSearchValues: efSearchValues, threads: 1)
        let rows = try benchmark.measure(mapped.index, queries: queries, truth: truth, log: log)
        let afterQueries = ProcessMemory.status()
        log(String(format: "mapped: memory_bytes %d (%.0f B/vector), RSS %.1f MiB (anon %.1f, file %.1f), peak %.1f MiB",
                   mapped.ownedByteCount, Double(mapped.ownedByteCount) / Double(max(rowCount, 1)),
                   Double(afterQueries.residentBytes) / 1_048_576, Double(afterQueries.anonymousBytes) / 1_048_576,
                   Double(afterQueries.fileBytes) / 1_048_576, Double(afterQueries.peakResidentBytes) / 1_048_576))
        return MappedServeReport(
            storage: parameters.storage.rawValue, baseRows: rowCount, dimension: parameters.dimension,
            queryRows: queries.rows, segmentFileBytes: mapped.fileByteCount, openMilliseconds: openMilliseconds,
            memoryBytes: mapped.ownedByteCount, afterOpen: afterOpen, afterQueries: afterQueries, rows: rows)
    }
}

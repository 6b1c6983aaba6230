import Foundation
import VecdIndex
public import VecdStorage

/// The serving phase of `vecd bench lowram`: map a segment file and run the queries, reporting memory as the process
/// sees it. Run it in a process that loaded nothing else, or the input sets and a build's heap count too.
public enum LowRAMServe {
    /// Maps `segment`, measures recall@k and latency at each efSearch, and reads /proc/self/status after the open and
    /// after the queries.
    /// `dropCache` drops the whole segment from the page cache before the open. `rowAccess` `.readOnDemand` (low-RAM
    /// mode) drops the segment's Float32 rows from the page cache, so what
    /// the cache holds of them afterwards is what the re-rank read.
    public static func run(
        segment: String, rowAccess: SegmentReader.RowAccess, queries: VectorMatrix<Float>, truth: VectorMatrix<Int32>,
        k: Int, efSearchValues: [Int], dropCache: Bool = false, log: @escaping @Sendable (String) -> Void
    ) throws -> MappedServeReport {
        // Cold start: every page the serving reads is then read (and, under a cgroup limit, charged) here.
        if dropCache { try SegmentReader.dropPageCache(path: segment) }
        let clock = ContinuousClock()
        let start = clock.now
        // The mapping a collection serves its segments through, so this measures the path users run.
        let mapping = try SegmentMapping(reader: SegmentReader(path: segment, rowAccess: rowAccess))
        let index = try mapping.index()
        let openMilliseconds = (clock.now - start).seconds * 1000
        let reader = mapping.reader
        let rowFile = reader.rowFile
        rowFile?.dropCachedRows()
        let afterOpen = ProcessMemory.status()
        let parameters = index.parameters
        let rowCount = reader.header.rowCount
        log("serving \(segment): \(rowCount) rows, storage \(parameters.storage.rawValue), "
            + String(format: "opened in %.1f ms", openMilliseconds))
        let benchmark = ANNBenchmark(parameters: parameters, k: k, efSearchValues: efSearchValues, threads: 1)
        let rows = try benchmark.measure(index, queries: queries, truth: truth, log: log)
        let afterQueries = ProcessMemory.status()
        // Heap: the index's own allocations (it counts no mapped byte) plus the decoded upper links.
        let heapBytes = index.memoryByteCount + mapping.decodedByteCount
        // The page cache's share of the mapping (the Float32 rows excluded when they are read on demand), and of the
        // Float32 rows block: outside this process when the rows are read on demand.
        let resident = try reader.residentMappedByteCount()
        let rowCache = try reader.pageCacheByteCount(of: .vectorsFloat32)
        let memoryBytes = heapBytes + resident
        log(String(format: "mapped (%@ rows): memory_bytes %d (%.1f MiB, %.0f B/vector: heap %.1f + mapped resident %.1f MiB)",
                   rowFile == nil ? "mapped" : "pread", memoryBytes, Double(memoryBytes) / 1_048_576,
                   Double(memoryBytes) / Double(max(rowCount, 1)), Double(heapBytes) / 1_048_576,
                   Double(resident) / 1_048_576))
        log(String(format: "  RSS %.1f MiB (anon %.1f, file %.1f), peak %.1f MiB; page cache holds %.1f MiB of the f32 rows",
                   Double(afterQueries.residentBytes) / 1_048_576, Double(afterQueries.anonymousBytes) / 1_048_576,
                   Double(afterQueries.fileBytes) / 1_048_576, Double(afterQueries.peakResidentBytes) / 1_048_576,
                   Double(rowCache) / 1_048_576))
        return MappedServeReport(
            storage: parameters.storage.rawValue, baseRows: rowCount, dimension: parameters.dimension,
            queryRows: queries.rows, segmentFileBytes: reader.header.fileByteCount, openMilliseconds: openMilliseconds,
            rowAccess: rowFile == nil ? "mapped" : "pread", heapBytes: heapBytes,
            residentMappedBytes: resident, float32PageCacheBytes: rowCache, afterOpen: afterOpen,
            afterQueries: afterQueries, rows: rows)
    }
}

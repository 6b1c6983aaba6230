/// What `vecd bench lowram` measured for one storage mode: the index built in memory (as `vecd bench ann` measures
/// it), then the same index written to a segment file and served from its mapping by a fresh process.
public struct LowRAMReport: Codable, Sendable {
    /// The in-memory build and its searches; `memory_bytes` as `vecd bench ann` defines it.
    public var inMemory: ANNBenchmarkReport
    /// The same graph served from a mapped segment file in a fresh process, once per storage mode written.
    public var mapped: [MappedServeReport]

    public init(inMemory: ANNBenchmarkReport, mapped: [MappedServeReport]) {
        self.inMemory = inMemory
        self.mapped = mapped
    }

    enum CodingKeys: String, CodingKey {
        case inMemory = "in_memory", mapped
    }
}

/// Searches of a segment served in place by a process that did nothing else (no input set, no build): what a
/// low-RAM server holds for one collection.
public struct MappedServeReport: Codable, Sendable {
    public var storage: String
    public var baseRows: Int
    public var dimension: Int
    public var queryRows: Int
    /// The segment file's size.
    public var segmentFileBytes: Int
    /// Time to map the file and make the index servable.
    public var openMilliseconds: Double
    /// How the re-rank reads Float32 rows: "pread" (low-RAM mode: the rows are not mapped) or "mapped".
    public var rowAccess: String
    /// Heap bytes the serving path allocated (the index's own plus the decoded upper links).
    public var heapBytes: Int
    /// Bytes of the mapping resident in the page cache after the queries (the Float32 rows excluded under "pread").
    public var residentMappedBytes: Int
    /// `memory_bytes` as `vecd bench ann` defines it: `heapBytes + residentMappedBytes`.
    public var memoryBytes: Int
    /// Bytes of the Float32 rows block in the page cache after the queries. Under "pread" they belong to no process:
    /// the kernel's clean cache of the rows the re-rank read (dropped before serving, so this is what the queries read).
    public var float32PageCacheBytes: Int
    /// /proc/self/status right after the open.
    public var afterOpen: ProcessMemoryStatus
    /// /proc/self/status after every query of every efSearch ran (the file pages the walks touched are resident).
    public var afterQueries: ProcessMemoryStatus
    /// Per efSearch, one query at a time on one thread.
    public var rows: [ANNBenchmarkReport.Row]

    public init(
        storage: String, baseRows: Int, dimension: Int, queryRows: Int, segmentFileBytes: Int,
        openMilliseconds: Double, rowAccess: String, heapBytes: Int, residentMappedBytes: Int,
        float32PageCacheBytes: Int, afterOpen: ProcessMemoryStatus,
        afterQueries: ProcessMemoryStatus, rows: [ANNBenchmarkReport.Row]
    ) {
        self.storage = storage
        self.baseRows = baseRows
        self.dimension = dimension
        self.queryRows = queryRows
        self.segmentFileBytes = segmentFileBytes
        self.openMilliseconds = openMilliseconds
        self.rowAccess = rowAccess
        self.heapBytes = heapBytes
        self.residentMappedBytes = residentMappedBytes
        self.memoryBytes = heapBytes + residentMappedBytes
        self.float32PageCacheBytes = float32PageCacheBytes
        self.afterOpen = afterOpen
        self.afterQueries = afterQueries
        self.rows = rows
    }

    enum CodingKeys: String, CodingKey {
        case storage, baseRows = "base_rows", dimension, queryRows = "query_rows"
        case segmentFileBytes = "segment_file_bytes", openMilliseconds = "open_ms", memoryBytes = "memory_bytes"
        case rowAccess = "row_access", heapBytes = "heap_bytes", residentMappedBytes = "resident_mapped_bytes"
        case float32PageCacheBytes = "float32_page_cache_bytes"
        case afterOpen = "after_open", afterQueries = "after_queries", rows
    }
}

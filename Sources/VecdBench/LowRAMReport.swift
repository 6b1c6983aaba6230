/// What `vecd bench lowram` measured for one storage mode: the index built in memory (as `vecd bench ann` measures
/// it), then the same index written to a segment file and served from its mapping by a fresh process.
public struct LowRAMReport: Codable, Sendable {
    /// The in-memory build and its searches; `memory_bytes` as `vecd bench ann` defines it.
    public var inMemory: ANNBenchmarkReport
    /// The same graph served from the mapped segment file in a fresh process.
    public var mapped: MappedServeReport

    public init(inMemory: ANNBenchmarkReport, mapped: MappedServeReport) {
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
    /// Heap bytes the serving path allocated (the index's own plus the decoded upper links; mapped bytes excluded).
    public var memoryBytes: Int
    /// /proc/self/status right after the open.
    public var afterOpen: ProcessMemoryStatus
    /// /proc/self/status after every query of every efSearch ran (the file pages the walks touched are resident).
    public var afterQueries: ProcessMemoryStatus
    /// Per efSearch, one query at a time on one thread.
    public var rows: [ANNBenchmarkReport.Row]

    public init(
        storage: String, baseRows: Int, dimension: Int, queryRows: Int, segmentFileBytes: Int,
        openMilliseconds: Double, memoryBytes: Int, afterOpen: ProcessMemoryStatus,
        afterQueries: ProcessMemoryStatus, rows: [ANNBenchmarkReport.Row]
    ) {
        self.storage = storage
        self.baseRows = baseRows
        self.dimension = dimension
        self.queryRows = queryRows
        self.segmentFileBytes = segmentFileBytes
        self.openMilliseconds = openMilliseconds
        self.memoryBytes = memoryBytes
        self.afterOpen = afterOpen
        self.afterQueries = afterQueries
        self.rows = rows
    }

    enum CodingKeys: String, CodingKey {
        case storage, baseRows = "base_rows", dimension, queryRows = "query_rows"
        case segmentFileBytes = "segment_file_bytes", openMilliseconds = "open_ms", memoryBytes = "memory_bytes"
        case afterOpen = "after_open", afterQueries = "after_queries", rows
    }
}

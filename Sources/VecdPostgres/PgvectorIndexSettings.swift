/// How the HNSW index is built, as pgvector names the settings.
public struct PgvectorIndexSettings: Sendable {
    /// Links per node (pgvector default 16; the ground layer keeps 2·m).
    public var m = 16
    /// Candidate list size while building (pgvector default 64).
    public var efConstruction = 64
    /// `max_parallel_maintenance_workers`: 0 builds in one process (1 thread), 1 in two.
    public var parallelWorkers = 0
    /// `maintenance_work_mem` for the build; the graph should fit, or pgvector builds it far more slowly on disk.
    public var maintenanceWorkMemory = "2GB"

    /// Settings; the defaults are pgvector's.
    public init(m: Int = 16, efConstruction: Int = 64, parallelWorkers: Int = 0, maintenanceWorkMemory: String = "2GB")
    {
        self.m = m
        self.efConstruction = efConstruction
        self.parallelWorkers = parallelWorkers
        self.maintenanceWorkMemory = maintenanceWorkMemory
    }
}

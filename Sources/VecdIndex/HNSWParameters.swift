public import VecdKernels

/// Build-time settings of an ``HNSWIndex``. Names and defaults follow pgvector (`m`, `ef_construction`).
///
/// | setting | vecd | pgvector | hnswlib | FAISS | USearch |
/// |---|---|---|---|---|---|
/// | m | 16 | 16 | 16 | 32 | 16 |
/// | efConstruction | 64 | 64 | 200 | 40 | 128 |
/// | efSearch (per query) | 40 | 40 | 10 | 16 | 64 |
public struct HNSWParameters: Sendable, Equatable {
    /// Number of components per vector.
    public var dimension: Int
    /// How distances are measured.
    public var metric: DistanceMetric
    /// Links per node on the upper layers; the ground layer keeps `2·m` (it holds every node).
    public var m: Int
    /// Candidate-list size while inserting; larger builds a better graph, more slowly.
    public var efConstruction: Int
    /// The element type the graph walk reads.
    public var storage: VectorStorageMode
    /// Seeds the level of every slot, so that builds with the same seed and insertion order make the same graph.
    public var seed: UInt64

    public static let defaultM = 16
    public static let defaultEFConstruction = 64
    public static let mRange = 2...100
    public static let efConstructionRange = 4...1000
    /// Dimensions up to 16,000, as pgvector's `vector` type (whose HNSW index stops at 2,000).
    public static let dimensionRange = 1...16_000

    public init(
        dimension: Int,
        metric: DistanceMetric = .cosine,
        m: Int = defaultM,
        efConstruction: Int = defaultEFConstruction,
        storage: VectorStorageMode = .float32,
        seed: UInt64 = 0x5EED
    ) {
        self.dimension = dimension
        self.metric = metric
        self.m = m
        self.efConstruction = efConstruction
        self.storage = storage
        self.seed = seed
    }

    /// Checks every setting against its documented range.
    public func validate() throws(IndexError) {
        guard Self.dimensionRange.contains(dimension) else {
            throw .parameterOutOfRange(name: "dimension", value: dimension, range: Self.dimensionRange)
        }
        guard Self.mRange.contains(m) else { throw .parameterOutOfRange(name: "m", value: m, range: Self.mRange) }
        guard Self.efConstructionRange.contains(efConstruction) else {
            throw .parameterOutOfRange(name: "efConstruction", value: efConstruction, range: Self.efConstructionRange)
        }
        guard efConstruction >= 2 * m else { throw .efConstructionBelowTwiceM(efConstruction: efConstruction, m: m) }
    }

    /// Links kept per node on the ground layer.
    var groundLayerDegree: Int { 2 * m }
}

/// Per-query settings, passed with each call so that concurrent queries never share them.
public struct SearchParameters: Sendable, Equatable {
    /// Number of results wanted.
    public var k: Int
    /// Candidate-list size on the ground layer (raised to `k` when smaller).
    public var efSearch: Int

    public static let kRange = 1...1000
    public static let efSearchRange = 1...1000
    public static let defaultEFSearch = 40

    public init(k: Int, efSearch: Int = defaultEFSearch) {
        self.k = k
        self.efSearch = efSearch
    }

    /// Checks `k` and `efSearch` against their documented ranges.
    public func validate() throws(IndexError) {
        guard Self.kRange.contains(k) else { throw .parameterOutOfRange(name: "k", value: k, range: Self.kRange) }
        guard Self.efSearchRange.contains(efSearch) else {
            throw .parameterOutOfRange(name: "efSearch", value: efSearch, range: Self.efSearchRange)
        }
    }

    var effectiveEF: Int { max(efSearch, k) }
}

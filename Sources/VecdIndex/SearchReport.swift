/// How a search was answered.
public enum SearchPlan: String, Sendable, Codable {
    /// The graph walk over every slot.
    case graph
    /// The graph walk, returning only slots the filter accepts.
    case filteredGraph = "filtered_graph"
    /// Every allowed slot measured exactly (small allowed sets, or when the filtered walk fell short).
    case exactScan = "exact_scan"
}

/// What a search did and how complete its answer is; returned with every result.
public struct SearchReport: Sendable, Equatable, Codable {
    /// The plan that produced the results.
    public var plan: SearchPlan
    /// Distances computed, re-rank included.
    public var distanceCount: Int
    /// Nodes expanded by the walk.
    public var hopCount: Int
    /// Number of live slots the filter accepts, when known.
    public var matchingCount: Int?
    /// Whether the answer holds `min(k, matching)` rows.
    public var isComplete: Bool
    /// Whether every candidate was measured exactly (the results are the true nearest).
    public var isExhaustive: Bool
    /// Whether a filtered walk gave up and the exact scan answered instead.
    public var fellBackToExactScan: Bool

    public init(
        plan: SearchPlan, distanceCount: Int = 0, hopCount: Int = 0, matchingCount: Int? = nil,
        isComplete: Bool = true, isExhaustive: Bool = false, fellBackToExactScan: Bool = false
    ) {
        self.plan = plan
        self.distanceCount = distanceCount
        self.hopCount = hopCount
        self.matchingCount = matchingCount
        self.isComplete = isComplete
        self.isExhaustive = isExhaustive
        self.fellBackToExactScan = fellBackToExactScan
    }
}

/// Results in ascending distance order, with the report of how they were found.
public struct SearchResult: Sendable, Equatable {
    public var neighbors: [Neighbor]
    public var report: SearchReport
}

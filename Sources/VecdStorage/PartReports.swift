import VecdIndex

/// Folds the ``SearchReport`` of each part a collection search walked (segments, mutable part) into one.
struct PartReports {
    private var reports: [SearchReport] = []
    private let filtered: Bool

    init(filtered: Bool) { self.filtered = filtered }

    mutating func add(_ report: SearchReport?) {
        if let report { reports.append(report) }
    }

    /// Counts summed; complete, exhaustive and known-matching only when every part was; the plan of the part that
    /// computed the most distances (an empty collection reports a plain graph walk).
    var merged: SearchReport {
        guard let busiest = reports.max(by: { $0.distanceCount < $1.distanceCount }) else {
            return SearchReport(plan: filtered ? .filteredGraph : .graph, matchingCount: filtered ? 0 : nil)
        }
        let matching =
            reports.allSatisfy { $0.matchingCount != nil } ? reports.reduce(0) { $0 + $1.matchingCount! } : nil
        return SearchReport(
            plan: busiest.plan, distanceCount: reports.reduce(0) { $0 + $1.distanceCount },
            hopCount: reports.reduce(0) { $0 + $1.hopCount }, matchingCount: matching,
            isComplete: reports.allSatisfy(\.isComplete), isExhaustive: reports.allSatisfy(\.isExhaustive),
            fellBackToExactScan: reports.contains(where: \.fellBackToExactScan))
    }
}

/// Finds the smallest efSearch at which an index reaches a target recall: the churn protocol compares every state at
/// that one efSearch, the one where a fresh build just reaches the target.
public enum EfSearchTarget {
    /// Measures each candidate (ascending, values below `k` skipped: the walk keeps at least k candidates anyway) until
    /// one reaches `target`, then bisects between it and the previous candidate (or k − 1). Recall grows with efSearch
    /// up to measurement noise, so the answer is the smallest efSearch that reached the target among those measured.
    ///
    /// Returns the row at the chosen efSearch and every row measured, in measurement order. When no candidate reaches
    /// the target the chosen row is the largest candidate's.
    public static func find<Row>(
        candidates: [Int], k: Int, target: Double, recall: (Row) -> Double, measure: (Int) throws -> Row
    ) rethrows -> (chosen: Row, measured: [Row]) {
        let sorted = Array(Set(candidates.filter { $0 >= k })).sorted()
        var measured: [Row] = []
        var below: Int?
        var reached: (efSearch: Int, row: Row)?
        for efSearch in sorted.isEmpty ? [k] : sorted {
            let row = try measure(efSearch)
            measured.append(row)
            if recall(row) >= target {
                reached = (efSearch, row)
                break
            }
            below = efSearch
        }
        guard var upper = reached else { return (measured.last!, measured) }
        var lower = below ?? (k - 1)
        while upper.efSearch - lower > 1 {
            let middle = (lower + upper.efSearch) / 2
            let row = try measure(middle)
            measured.append(row)
            if recall(row) >= target { upper = (middle, row) } else { lower = middle }
        }
        return (upper.row, measured)
    }
}

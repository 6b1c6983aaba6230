/// The two-sample Kolmogorov–Smirnov statistic: the largest gap between two samples' empirical distribution
/// functions (0 when they are distributed alike, 1 when they do not overlap). `vecd bench dataset` uses it to say how
/// close a grown set's nearest-neighbour distances are to its source's.
public func kolmogorovSmirnovStatistic(_ a: [Float], _ b: [Float]) -> Double {
    let x = a.sorted()
    let y = b.sorted()
    guard !x.isEmpty, !y.isEmpty else { return 0 }
    var i = 0
    var j = 0
    var largest = 0.0
    while i < x.count && j < y.count {
        let value = min(x[i], y[j])
        while i < x.count && x[i] <= value { i += 1 }
        while j < y.count && y[j] <= value { j += 1 }
        largest = max(largest, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
    }
    return largest
}

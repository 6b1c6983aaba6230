import Testing
import VecdBench

@Suite("EfSearchTarget: the smallest efSearch reaching a recall")
struct EfSearchTargetTests {
    /// A recall curve that reaches 0.90 exactly at efSearch 37.
    static func recall(_ efSearch: Int) -> Double { efSearch >= 37 ? 0.95 : 0.5 + Double(efSearch) / 100 }

    @Test("sweeps to the first candidate reaching the target, then bisects down to the smallest")
    func bisects() {
        var measured: [Int] = []
        let found = EfSearchTarget.find(
            candidates: [80, 10, 20, 40, 160, 5], k: 10, target: 0.90, recall: { Self.recall($0) }
        ) { efSearch in
            measured.append(efSearch)
            return efSearch
        }
        #expect(found.chosen == 37)
        #expect(Array(measured.prefix(3)) == [10, 20, 40])  // ascending, 5 < k skipped, stops at the first hit
        #expect(!measured.contains(80) && !measured.contains(160))
        #expect(found.measured == measured)
    }

    @Test("no candidate reaching the target returns the largest")
    func unreachable() {
        let found = EfSearchTarget.find(candidates: [10, 20], k: 10, target: 0.99, recall: { Self.recall($0) }) { $0 }
        #expect(found.chosen == 20)
        #expect(found.measured == [10, 20])
    }
}

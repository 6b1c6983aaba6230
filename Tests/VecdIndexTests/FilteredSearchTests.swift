import Testing
import VecdBench
import VecdIndex
import VecdKernels

@Suite("Filtered search")
struct FilteredSearchTests {
    static let data = TestData(rows: 6000, dimension: 24, queries: 40)

    /// Exact top-k among `allowed`, as slots.
    func exactTopK(_ query: [Float], allowed: Set<Slot>, k: Int) throws -> [Slot] {
        let flat = try FlatIndex(dimension: 24, metric: .cosine)
        for row in 0..<Self.data.base.rows { try flat.add(Array(Self.data.base.row(row))) }
        return try flat.search(query, k: k, filter: AllowedSlots(allowed)).map(\.slot)
    }

    @Test("recall@10 stays at least 0.9 for uncorrelated filters, with the plan reported",
          arguments: [0.01, 0.05, 0.10, 0.30])
    func uncorrelated(selectivity: Double) throws {
        let index = try Self.data.buildIndex()
        var generator = SeededGenerator(seed: 42)
        let allowed = Set((0..<6000).filter { _ in Double.random(in: 0..<1, using: &generator) < selectivity }.map { Slot($0) })
        var hits = 0
        for q in 0..<Self.data.queries.rows {
            let query = Self.data.query(q)
            let result = try index.search(query, parameters: SearchParameters(k: 10, efSearch: 64), filter: AllowedSlots(allowed))
            #expect(result.neighbors.count == 10)
            #expect(result.neighbors.allSatisfy { allowed.contains($0.slot) })
            #expect(result.report.isComplete)
            let truth = try exactTopK(query, allowed: allowed, k: 10)
            hits += Set(truth).intersection(result.neighbors.map(\.slot)).count
        }
        let recall = Double(hits) / Double(10 * Self.data.queries.rows)
        #expect(recall >= 0.9, "recall \(recall) at selectivity \(selectivity)")
    }

    @Test("a filter correlated against the query (allowed rows far away) still finds the true nearest allowed rows")
    func correlated() throws {
        let index = try Self.data.buildIndex()
        let query = Self.data.query(0)
        // Allow only the 30% of rows farthest from the query.
        let flat = try FlatIndex(dimension: 24, metric: .cosine)
        for row in 0..<6000 { try flat.add(Array(Self.data.base.row(row))) }
        let farthest = try flat.search(query.map { -$0 }, k: 1000).map(\.slot)
        let allowed = Set(farthest)
        let result = try index.search(query, parameters: SearchParameters(k: 10, efSearch: 64), filter: AllowedSlots(allowed))
        let truth = try exactTopK(query, allowed: allowed, k: 10)
        let recall = Double(Set(truth).intersection(result.neighbors.map(\.slot)).count) / 10
        #expect(recall >= 0.9, "recall \(recall), plan \(result.report.plan)")
        #expect(result.neighbors.count == 10)
    }

    @Test("a filter matching fewer than k rows returns all of them, and says so")
    func fewerThanK() throws {
        let index = try Self.data.buildIndex()
        let allowed: [Slot] = [5, 77, 1234]
        let result = try index.search(Self.data.query(1), parameters: SearchParameters(k: 10), filter: AllowedSlots(allowed))
        #expect(Set(result.neighbors.map(\.slot)) == Set(allowed))
        #expect(result.report.plan == .exactScan)
        #expect(result.report.matchingCount == 3)
        #expect(result.report.isComplete)
        let none = try index.search(Self.data.query(1), parameters: SearchParameters(k: 10), filter: AllowedSlots([]))
        #expect(none.neighbors.isEmpty)
    }

    @Test("small allowed sets are scanned exactly; large ones walk the graph with the filter")
    func planChoice() throws {
        let index = try Self.data.buildIndex()
        let small = try index.search(Self.data.query(2), parameters: SearchParameters(k: 10),
                                     filter: AllowedSlots((0..<300).map { Slot($0 * 20) }))
        #expect(small.report.plan == .exactScan)
        #expect(small.report.isExhaustive)
        let large = try index.search(Self.data.query(2), parameters: SearchParameters(k: 10),
                                     filter: AllowedSlots((0..<5000).map { Slot($0) }))
        #expect(large.report.plan == .filteredGraph)
        #expect(large.neighbors.allSatisfy { $0.slot < 5000 })
    }

    @Test("a predicate filter returns only accepted slots and k of them when k match")
    func predicate() throws {
        let index = try Self.data.buildIndex()
        let result = try index.search(Self.data.query(3), parameters: SearchParameters(k: 10),
                                      filter: PredicateFilter { $0 % 50 == 0 })
        #expect(result.neighbors.count == 10)
        #expect(result.neighbors.allSatisfy { $0.slot % 50 == 0 })
    }
}

import Testing
import VecdBench
import VecdIndex
import VecdKernels

@Suite("HNSW index")
struct HNSWIndexTests {
    @Test("recall@10 is at least 0.95 against exact search", arguments: DistanceMetric.allCases)
    func recallFloor(metric: DistanceMetric) throws {
        // Inner product is measured on unit-length vectors, the way embedding models produce them.
        let data = TestData(rows: 4000, dimension: 32, metric: metric, unitLength: metric == .dot)
        let index = try data.buildIndex()
        try index.checkInvariants()
        let recall = try data.recall(index, k: 10, efSearch: 64, truth: data.truth(k: 10))
        #expect(recall >= 0.95, "recall \(recall)")
    }

    @Test("inner product on vectors of varying length keeps a documented recall floor")
    func dotUnnormalized() throws {
        // Maximum inner product search is HNSW's known weak spot (the large-norm vectors win every comparison and
        // the neighbour heuristic prunes toward them); docs/index.md records the figure this floor guards.
        let data = TestData(rows: 4000, dimension: 32, metric: .dot)
        let index = try data.buildIndex()
        let truth = data.truth(k: 10)
        #expect(try data.recall(index, k: 10, efSearch: 64, truth: truth) >= 0.75)
        #expect(try data.recall(index, k: 10, efSearch: 400, truth: truth) >= 0.9)
    }

    @Test("distances agree with the flat index and come back sorted")
    func distancesMatchFlat() throws {
        let data = TestData(rows: 1500, dimension: 24)
        let index = try data.buildIndex(threads: 1)
        let flat = try FlatIndex(dimension: 24, metric: .cosine)
        for row in 0..<data.base.rows { try flat.add(Array(data.base.row(row))) }
        for q in 0..<20 {
            let approximate = try index.search(data.query(q), parameters: SearchParameters(k: 10, efSearch: 200))
            let exact = try flat.search(data.query(q), k: 10)
            #expect(approximate.neighbors.map(\.distance) == approximate.neighbors.map(\.distance).sorted())
            #expect(approximate.neighbors.map(\.slot) == exact.map(\.slot))
            for (a, e) in zip(approximate.neighbors, exact) { #expect(abs(a.distance - e.distance) < 1e-5) }
        }
    }

    @Test("one thread with the same seed builds the same graph")
    func deterministicBuild() throws {
        let data = TestData(rows: 1000, dimension: 16)
        let first = try data.buildIndex(threads: 1)
        let second = try data.buildIndex(threads: 1)
        for q in 0..<20 {
            let a = try first.search(data.query(q), parameters: SearchParameters(k: 5, efSearch: 10))
            let b = try second.search(data.query(q), parameters: SearchParameters(k: 5, efSearch: 10))
            #expect(a.neighbors == b.neighbors)
            #expect(a.report.distanceCount == b.report.distanceCount)
        }
    }

    @Test("inserts after the build are found, one at a time and in batches")
    func insertAfterBuild() throws {
        let data = TestData(rows: 2000, dimension: 16)
        let index = try data.buildIndex()
        let extra = SyntheticVectors.clustered(rows: 300, dimension: 16, clusters: 20, seed: 0xABC0_0000)
        for row in 0..<100 { try index.add(Array(extra.row(row))) }
        try extra.values[(100 * 16)...].withUnsafeBufferPointer { _ = try index.add($0, threads: 2) }
        // 300 inserts are below the automatic repair interval; maintenance runs the repair explicitly.
        index.repairConnectivity()
        try index.checkInvariants()
        #expect(index.count == 2300)
        for row in stride(from: 0, to: 300, by: 7) {
            let hit = try index.search(Array(extra.row(row)), parameters: SearchParameters(k: 1, efSearch: 64))
            #expect(hit.neighbors.first?.slot == Slot(2000 + row))
        }
    }

    @Test("deleted slots are never returned and recall over the live rows holds")
    func deletes() throws {
        let data = TestData(rows: 3000, dimension: 24)
        let index = try data.buildIndex()
        var deleted = Set<Slot>()
        for slot in stride(from: 0, to: 3000, by: 3) {
            try index.delete(Slot(slot))
            deleted.insert(Slot(slot))
        }
        #expect(index.liveCount == 2000)
        var live = VectorMatrix<Float>(rows: 0, dimension: 24, values: [])
        var liveSlots: [Int32] = []
        for row in 0..<3000 where !deleted.contains(Slot(row)) {
            live.values += data.base.row(row)
            live.rows += 1
            liveSlots.append(Int32(row))
        }
        let truth = ExactNeighbors.compute(base: live, queries: data.queries, k: 10, metric: .cosine)
        var returned: [[Int32]] = []
        for q in 0..<data.queries.rows {
            let result = try index.search(data.query(q), parameters: SearchParameters(k: 10, efSearch: 100))
            #expect(result.neighbors.count == 10)
            #expect(result.neighbors.allSatisfy { !deleted.contains($0.slot) })
            returned.append(result.neighbors.map { $0.slot }.map { Int32(liveSlots.firstIndex(of: Int32($0))!) })
        }
        let recall = ExactNeighbors.recall(results: returned, truth: truth, k: 10)
        #expect(recall >= 0.95, "recall \(recall)")
        #expect(throws: IndexError.unknownSlot(5000)) { try index.delete(5000) }
    }

    @Test("deleting everything leaves searches empty, not broken")
    func deleteAll() throws {
        let data = TestData(rows: 100, dimension: 8)
        let index = try data.buildIndex(threads: 1)
        for slot in 0..<100 { try index.delete(Slot(slot)) }
        let result = try index.search(data.query(0), parameters: SearchParameters(k: 10))
        #expect(result.neighbors.isEmpty)
        #expect(result.report.isComplete)
    }

    @Test("k up to 1000 returns k sorted rows; k beyond the limit is refused")
    func largeK() throws {
        let data = TestData(rows: 3000, dimension: 16)
        let index = try data.buildIndex()
        let result = try index.search(data.query(0), parameters: SearchParameters(k: 1000, efSearch: 40))
        #expect(result.neighbors.count == 1000)
        #expect(Set(result.neighbors.map(\.slot)).count == 1000)
        #expect(result.neighbors.map(\.distance) == result.neighbors.map(\.distance).sorted())
        #expect(throws: IndexError.parameterOutOfRange(name: "k", value: 1001, range: 1...1000)) {
            _ = try index.search(data.query(0), parameters: SearchParameters(k: 1001))
        }
    }

    @Test("bad vectors and parameters are refused and change nothing")
    func badInput() throws {
        let index = try HNSWIndex(parameters: HNSWParameters(dimension: 4))
        try index.add([1, 0, 0, 0])
        #expect(throws: IndexError.invalidVector(.dimensionMismatch(expected: 4, got: 3))) { try index.add([1, 2, 3]) }
        #expect(throws: IndexError.invalidVector(.nonFiniteComponent(index: 2))) { try index.add([1, 2, .nan, 3]) }
        #expect(throws: IndexError.invalidVector(.nonFiniteComponent(index: 0))) {
            _ = try index.search([.infinity, 0, 0, 0], parameters: SearchParameters(k: 1))
        }
        let batch: [Float] = [1, 1, 1, 1, 2, 2, .nan, 2]
        #expect(throws: IndexError.invalidVector(.nonFiniteComponent(index: 2))) {
            try batch.withUnsafeBufferPointer { _ = try index.add($0) }
        }
        #expect(index.count == 1)
        #expect(throws: IndexError.self) { _ = try HNSWIndex(parameters: HNSWParameters(dimension: 4, m: 1)) }
        #expect(throws: IndexError.efConstructionBelowTwiceM(efConstruction: 20, m: 16)) {
            _ = try HNSWIndex(parameters: HNSWParameters(dimension: 4, efConstruction: 20))
        }
        #expect(throws: IndexError.self) { _ = try HNSWIndex(parameters: HNSWParameters(dimension: 0)) }
    }

    @Test("a zero vector is stored and found at cosine distance 1")
    func zeroVector() throws {
        let index = try HNSWIndex(parameters: HNSWParameters(dimension: 3))
        try index.add([0, 0, 0])
        try index.add([1, 0, 0])
        let result = try index.search([0, 1, 0], parameters: SearchParameters(k: 2))
        #expect(result.neighbors.count == 2)
        #expect(result.neighbors.allSatisfy { $0.distance == 1 })
        let fromZero = try index.search([0, 0, 0], parameters: SearchParameters(k: 2))
        #expect(fromZero.neighbors.allSatisfy { $0.distance == 1 })
    }

    @Test("an upsert replaces the vector of an id; remove deletes it")
    func keyedUpsert() throws {
        let keyed = try KeyedIndex(parameters: HNSWParameters(dimension: 2, metric: .l2))
        try keyed.upsert(id: 7, vector: [0, 0])
        try keyed.upsert(id: 8, vector: [10, 10])
        try keyed.upsert(id: 7, vector: [9, 9])
        #expect(keyed.count == 2)
        let hits = try keyed.search([10, 10], parameters: SearchParameters(k: 5))
        #expect(hits.map(\.id) == [8, 7])
        #expect(abs(hits[1].distance - Float(2).squareRoot()) < 1e-6)
        #expect(try keyed.remove(id: 8))
        #expect(try !keyed.remove(id: 8))
        #expect(try keyed.search([10, 10], parameters: SearchParameters(k: 5)).map(\.id) == [7])
    }
}

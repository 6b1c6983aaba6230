import Testing
import VecdBench
import VecdIndex

@Suite("Concurrent use")
struct ConcurrencyTests {
    @Test("searches keep answering correctly while inserts run")
    func searchesDuringInserts() async throws {
        let data = TestData(rows: 3000, dimension: 16)
        let index = try HNSWIndex(parameters: HNSWParameters(dimension: 16))
        try data.base.values[0..<(1000 * 16)].withUnsafeBufferPointer { _ = try index.add($0, threads: 2) }
        let rest = Array(data.base.values[(1000 * 16)...])
        let queries = (0..<50).map { data.query($0) }
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                try rest.withUnsafeBufferPointer { _ = try index.add($0, threads: 2) }
                return 0
            }
            for worker in 0..<3 {
                group.addTask {
                    var answered = 0
                    for round in 0..<100 {
                        let result = try index.search(queries[(round + worker) % queries.count],
                                                      parameters: SearchParameters(k: 10, efSearch: 40))
                        #expect(result.neighbors.count == 10)
                        #expect(result.neighbors.map(\.distance) == result.neighbors.map(\.distance).sorted())
                        #expect(result.neighbors.allSatisfy { Int($0.slot) < 3000 })
                        answered += 1
                    }
                    return answered
                }
            }
            var total = 0
            for try await answered in group { total += answered }
            #expect(total == 300)
        }
        #expect(index.count == 3000)
        try index.checkInvariants()
    }
}

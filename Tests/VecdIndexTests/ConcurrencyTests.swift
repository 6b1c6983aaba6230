import Synchronization
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

    @Test("every search during a long multi-threaded insert returns k rows (no walk descends into an unlinked node)")
    func searchesDuringLongInsert() async throws {
        let dimension = 8
        let data = TestData(rows: 12_000, dimension: dimension)
        let index = try HNSWIndex(parameters: HNSWParameters(dimension: dimension))
        try data.base.values[0..<(300 * dimension)].withUnsafeBufferPointer { _ = try index.add($0, threads: 1) }
        let rest = Array(data.base.values[(300 * dimension)...])
        let queries = (0..<64).map { data.query($0) }
        let inserting = InsertRunning()
        let short = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                defer { inserting.flag.store(false, ordering: .releasing) }
                try rest.withUnsafeBufferPointer { _ = try index.add($0, threads: 2) }
                return 0
            }
            for worker in 0..<2 {
                group.addTask {
                    var short = 0
                    var round = worker
                    while inserting.flag.load(ordering: .acquiring) {
                        let result = try index.search(queries[round % queries.count],
                                                      parameters: SearchParameters(k: 10, efSearch: 16))
                        if result.neighbors.count != 10 { short += 1 }
                        round += 1
                    }
                    return short
                }
            }
            var total = 0
            for try await short in group { total += short }
            return total
        }
        #expect(short == 0)
        try index.checkInvariants()
    }
}

/// Whether the insert of a test is still running, shared with its searching tasks.
private final class InsertRunning: Sendable {
    let flag = Atomic<Bool>(true)
}

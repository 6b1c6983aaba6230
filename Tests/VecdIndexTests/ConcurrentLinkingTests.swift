import Synchronization
import Testing
import VecdBench
import VecdIndex

@Suite("Batches linking beside searches")
struct ConcurrentLinkingTests {
    /// Batches of 300 rows (above the size that links beside searches), so the image taker meets many a batch in each
    /// phase: storing, between storing and linking, and linking.
    @Test("an image taken while batches store and link waits for them: every row in the image has its links")
    func imageWaitsForLinking() async throws {
        let dimension = 16
        let data = TestData(rows: 4000, dimension: dimension, queries: 10)
        let index = try HNSWIndex(parameters: HNSWParameters(dimension: dimension))
        try data.base.values[0..<(500 * dimension)].withUnsafeBufferPointer { _ = try index.add($0, threads: 2) }
        let rest = Array(data.base.values[(500 * dimension)...])
        let degree = 2 * index.parameters.m
        let batchDone = DoneFlag()
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                let batchValues = 300 * dimension
                for start in stride(from: 0, to: rest.count, by: batchValues) {
                    try rest[start..<min(start + batchValues, rest.count)].withUnsafeBufferPointer {
                        _ = try index.add($0, threads: 2)
                    }
                }
                batchDone.value.store(true, ordering: .sequentiallyConsistent)
                return 0
            }
            group.addTask {
                var images = 0
                repeat {
                    let unlinked = index.withImage { image -> Int in
                        let words = image.groundLinks.bindMemory(to: UInt32.self)
                        var unlinked = 0
                        for row in 0..<image.rowCount {
                            let count = Int(words[row * (1 + degree)])
                            if count == 0 || count > degree { unlinked += 1 }
                        }
                        return unlinked
                    }
                    #expect(unlinked == 0)
                    images += 1
                } while !batchDone.value.load(ordering: .sequentiallyConsistent)
                return images
            }
            var images = 0
            for try await value in group { images += value }
            #expect(images >= 1)
        }
        #expect(index.count == 4000)
        try index.checkInvariants()
    }

    @Test("two large batches added at once from two tasks, one worker each, both join the graph")
    func twoBatchesAtOnce() async throws {
        let dimension = 16
        let data = TestData(rows: 2500, dimension: dimension, queries: 5)
        let index = try HNSWIndex(parameters: HNSWParameters(dimension: dimension))
        try data.base.values[0..<(500 * dimension)].withUnsafeBufferPointer { _ = try index.add($0, threads: 1) }
        let halves = [Array(data.base.values[(500 * dimension)..<(1500 * dimension)]),
                      Array(data.base.values[(1500 * dimension)...])]
        try await withThrowingTaskGroup(of: Slot.self) { group in
            for half in halves {
                group.addTask { try half.withUnsafeBufferPointer { try index.add($0, threads: 1) } }
            }
            var firsts: [Slot] = []
            for try await first in group { firsts.append(first) }
            #expect(firsts.sorted() == [500, 1500])
        }
        #expect(index.count == 2500)
        try index.checkInvariants()
        let result = try index.search(data.query(0), parameters: SearchParameters(k: 10, efSearch: 40))
        #expect(result.neighbors.count == 10)
    }

    @Test("progress reaches the batch size when rows link on several threads", arguments: [1, 2, 3])
    func progressReachesBatchSize(threads: Int) throws {
        let data = TestData(rows: 1000, dimension: 8, queries: 1)
        let index = try HNSWIndex(parameters: HNSWParameters(dimension: 8))
        let highest = Mutex(0)
        let first = try data.base.values.withUnsafeBufferPointer { buffer in
            try index.add(buffer, threads: threads) { done in highest.withLock { $0 = max($0, done) } }
        }
        #expect(first == 0)
        #expect(highest.withLock { $0 } == 1000)
        #expect(index.count == 1000)
        try index.checkInvariants()
    }
}

/// A flag that tasks share by reference (an `Atomic` cannot be captured by a task's closure).
private final class DoneFlag: Sendable {
    let value = Atomic<Bool>(false)
}

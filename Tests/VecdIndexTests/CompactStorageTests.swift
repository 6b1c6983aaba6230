import Testing
import VecdBench
import VecdIndex
import VecdKernels

@Suite("Float16 and Int8 storage")
struct CompactStorageTests {
    @Test("compact storage with exact re-rank loses at most 0.01 recall against Float32",
          arguments: [VectorStorageMode.float16, .int8])
    func recallLoss(mode: VectorStorageMode) throws {
        let data = TestData(rows: 4000, dimension: 48)
        let truth = data.truth(k: 10)
        let full = try data.buildIndex(threads: 1)
        let compact = try data.buildIndex(storage: mode, threads: 1)
        for ef in [64, 128] {
            let reference = try data.recall(full, k: 10, efSearch: ef, truth: truth)
            let got = try data.recall(compact, k: 10, efSearch: ef, truth: truth)
            #expect(got >= reference - 0.01, "\(mode) recall \(got) vs f32 \(reference) at ef \(ef)")
        }
        #expect(compact.memoryByteCount > full.memoryByteCount)  // f32 rows are kept for the re-rank
    }

    @Test("compact storage reports exact Float32 distances after the re-rank", arguments: [VectorStorageMode.float16, .int8])
    func exactDistances(mode: VectorStorageMode) throws {
        let data = TestData(rows: 2000, dimension: 32, metric: .l2)
        let full = try data.buildIndex(threads: 1)
        let compact = try data.buildIndex(storage: mode, threads: 1)
        for q in 0..<10 {
            let a = try full.search(data.query(q), parameters: SearchParameters(k: 5, efSearch: 100))
            let b = try compact.search(data.query(q), parameters: SearchParameters(k: 5, efSearch: 100))
            for (x, y) in zip(a.neighbors, b.neighbors) where x.slot == y.slot { #expect(x.distance == y.distance) }
        }
    }
}

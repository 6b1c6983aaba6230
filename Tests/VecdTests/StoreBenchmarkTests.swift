import Foundation
import Testing
import VecdBench

/// `vecd bench store`'s measurement code on a small corpus: it must ingest every chunk, and its searches and cache
/// lookups must answer what a correct store answers (it throws otherwise). The figures themselves are not checked.
@Suite("Store benchmark")
struct StoreBenchmarkTests {
    @Test("a small run ingests every chunk and times every kind of call")
    func smallRun() async throws {
        var benchmark = StoreBenchmark(chunkCount: 400, dimension: 128, queryCount: 12)
        benchmark.startupRuns = 3
        benchmark.cacheEntries = 30
        benchmark.warmupQueries = 2
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-store-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try await benchmark.run(directory: directory) { _ in }
        // One chunk per paragraph, give or take the rare paragraph the chunker splits or merges.
        #expect(abs(report.chunks - 400) <= 20)
        #expect(report.ingestChunksPerSecond > 0)
        #expect(report.temporaryStoreStartup.count == 3)
        for latency in [report.hybridSearch, report.fullTextSearch, report.vectorSearch, report.cacheExactHit,
                        report.cacheSemanticLookup] {
            #expect(latency.count == 12)
            #expect(latency.p50Ms > 0 && latency.p50Ms <= latency.p99Ms && latency.p99Ms <= latency.maxMs)
        }
        #expect(report.directoryBytes > 0)
        let decoded = try JSONDecoder().decode(StoreBenchmarkReport.self, from: JSONEncoder().encode(report))
        #expect(decoded.chunks == report.chunks && decoded.hybridSearch == report.hybridSearch)
    }

    @Test("latency quantiles")
    func quantiles() {
        let summary = LatencySummary((1...100).map(Double.init).reversed())
        #expect(summary.count == 100 && summary.p50Ms == 50 && summary.p99Ms == 99 && summary.maxMs == 100)
        #expect(LatencySummary([]).count == 0)
    }
}

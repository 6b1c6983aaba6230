import Foundation
import Testing
import Vecd
import VecdEmbed

/// Figures for BENCHMARKS.md, run on demand (release build):
/// `VECD_STORE_BENCH=1 swift test -c release --disable-xctest --filter StoreBenchmarkTests`
/// (`VECD_STORE_BENCH_CHUNKS` sets the corpus size, default 20,000). Prints figures; asserts only correctness.
@Suite("Store figures", .enabled(if: ProcessInfo.processInfo.environment["VECD_STORE_BENCH"] == "1"))
struct StoreBenchmarkTests {
    static let chunkCount = Int(ProcessInfo.processInfo.environment["VECD_STORE_BENCH_CHUNKS"] ?? "") ?? 20_000

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    @Test("start-up, ingest rate, hybrid search and cache latency")
    func figures() async throws {
        let clock = ContinuousClock()
        var opens: [Double] = []
        for _ in 0..<20 {
            let start = clock.now
            let store = try VecdStore.temporary()
            opens.append(Self.milliseconds(clock.now - start))
            #expect(try store.collections().isEmpty)
        }
        print("figure startup_temporary_store_ms p50=\(Self.percentile(opens, 0.5)) max=\(opens.max()!)")

        let embedder = WordHashEmbedder(dimension: 384)
        let store = try VecdStore.temporary(embedder: embedder)
        try store.createCollection(CollectionInfo(name: "kb", dimension: 384, modelID: embedder.modelID))
        let words = [
            "volatility", "beta", "stress", "portfolio", "risk", "options", "exposure", "hedge", "equity",
            "bond", "currency", "sector", "factor", "drawdown", "return", "benchmark", "index", "yield",
        ]
        var documents: [DocumentInput] = []
        let chunksPerDocument = 20
        for d in 0..<(Self.chunkCount / chunksPerDocument) {
            var text = ""
            for c in 0..<chunksPerDocument {
                let sentence = (0..<24).map { words[($0 * 7 + c * 3 + d * 11) % words.count] }.joined(separator: " ")
                text += "Section \(d)-\(c): \(sentence).\n\n"
            }
            documents.append(DocumentInput(title: "doc \(d)", content: text))
        }
        let ingestStart = clock.now
        let result = try await store.ingest(documents, into: "kb", chunking: ChunkingOptions(size: 200, overlap: 0))
        let ingestSeconds = Self.milliseconds(clock.now - ingestStart) / 1000
        #expect(result.job.status == .completed)
        print(
            "figure ingest chunks=\(result.job.chunkCount) seconds=\(ingestSeconds) chunks_per_s=\(Double(result.job.chunkCount) / ingestSeconds)"
        )

        var latencies: [Double] = []
        for q in 0..<200 {
            let query = "\(words[q % words.count]) \(words[(q * 5) % words.count]) section"
            let start = clock.now
            let hits = try await store.hybridSearch(query, in: "kb", k: 10)
            latencies.append(Self.milliseconds(clock.now - start))
            #expect(hits.count == 10)
        }
        print(
            "figure hybrid_search_ms chunks=\(result.job.chunkCount) p50=\(Self.percentile(latencies, 0.5)) p99=\(Self.percentile(latencies, 0.99))"
        )

        latencies = []
        for q in 0..<200 {
            let start = clock.now
            _ = try await store.searchChunks(.text("\(words[q % words.count]) risk"), in: "kb", k: 10)
            latencies.append(Self.milliseconds(clock.now - start))
        }
        print("figure vector_search_ms p50=\(Self.percentile(latencies, 0.5)) p99=\(Self.percentile(latencies, 0.99))")

        for i in 0..<1_000 {
            try await store.cachePut(
                query: "question number \(i) about \(words[i % words.count])", response: "answer \(i)")
        }
        var exact: [Double] = []
        var semantic: [Double] = []
        for i in 0..<200 {
            var start = clock.now
            let hit = try await store.cacheGet(query: "Question number \(i) about \(words[i % words.count])?")
            exact.append(Self.milliseconds(clock.now - start))
            #expect(hit?.match == .exact)
            start = clock.now
            _ = try await store.cacheGet(query: "about \(words[i % words.count]) question number \(i) please")
            semantic.append(Self.milliseconds(clock.now - start))
        }
        print("figure cache_exact_ms p50=\(Self.percentile(exact, 0.5)) p99=\(Self.percentile(exact, 0.99))")
        print(
            "figure cache_semantic_path_ms p50=\(Self.percentile(semantic, 0.5)) p99=\(Self.percentile(semantic, 0.99))"
        )

        let reopenStart = clock.now
        let reopened = try VecdStore(directory: store.directory, embedder: embedder)
        print("figure reopen_rebuild_ms chunks=\(result.job.chunkCount) \(Self.milliseconds(clock.now - reopenStart))")
        #expect(try reopened.vectorCount(collection: "kb") == result.job.chunkCount)
    }
}

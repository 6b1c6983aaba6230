import Foundation
import Testing
@testable import Vecd
import VecdEmbed

/// Figures for BENCHMARKS.md, run on demand (release build, `-Xswiftc -enable-testing` for the A/B switches):
/// `VECD_STORE_BENCH=1 swift test -c release -Xswiftc -enable-testing --disable-xctest --filter StoreBenchmarkTests`
/// (`VECD_STORE_BENCH_CHUNKS` sets the corpus size, default 20,000). The offline embedder at 384 dimensions embeds a
/// seeded synthetic corpus (``SyntheticCorpus``). Prints figures; asserts only correctness.
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

        let embedder = try HashingEmbedder(dimension: 384)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (chunkCount, words) = try await Self.measure(directory: directory, embedder: embedder)

        let reopenStart = clock.now
        var before = VecdStore.Configuration()
        before.fullTextDropsCommonWords = false
        let reopened = try VecdStore(directory: directory, embedder: embedder, configuration: before)
        print("figure reopen_ms chunks=\(chunkCount) \(Self.milliseconds(clock.now - reopenStart))")
        #expect(try reopened.vectorCount(collection: "kb") == chunkCount)
        // The same searches with every query word kept (vecd before common words were left out of FTS5 queries).
        try await Self.textSearchFigures(reopened, words: words, chunkCount: chunkCount, label: "_all_words")
    }

    /// Ingests the corpus into a store in `directory` and prints the figures of that store; closes it on return.
    static func measure(directory: URL, embedder: HashingEmbedder) async throws -> (chunks: Int, words: [String]) {
        let clock = ContinuousClock()
        let store = try VecdStore(directory: directory, embedder: embedder)
        try store.createCollection(CollectionInfo(name: "kb", dimension: 384, modelID: embedder.modelID))
        var corpus = SyntheticCorpus(seed: 42)
        let words = (0..<18).map { corpus.word(rank: $0 * 40) }
        var documents: [DocumentInput] = []
        let chunksPerDocument = 20
        for d in 0..<(Self.chunkCount / chunksPerDocument) {
            let text = (0..<chunksPerDocument).map { c in "Section \(d)-\(c): \(corpus.sentence(words: 26))." }
            documents.append(DocumentInput(title: "doc \(d)", content: text.joined(separator: "\n\n")))
        }
        let ingestStart = clock.now
        var chunkCount = 0
        // Jobs of at most maxDocumentsPerIngestion documents, as a client loading a corpus would send them.
        for start in stride(from: 0, to: documents.count, by: VecdStore.maxDocumentsPerIngestion) {
            let slice = Array(documents[start..<min(documents.count, start + VecdStore.maxDocumentsPerIngestion)])
            let result = try await store.ingest(slice, into: "kb", chunking: ChunkingOptions(size: 200, overlap: 0))
            #expect(result.job.status == .completed)
            chunkCount += result.job.chunkCount
        }
        let ingestSeconds = Self.milliseconds(clock.now - ingestStart) / 1000
        print("figure ingest chunks=\(chunkCount) seconds=\(ingestSeconds) chunks_per_s=\(Double(chunkCount) / ingestSeconds)")

        try await Self.textSearchFigures(store, words: words, chunkCount: chunkCount, label: "")
        var latencies: [Double] = []
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

        return (chunkCount, words)
    }

    /// Hybrid and full-text latency over 200 queries mixing common and mid-frequency words.
    static func textSearchFigures(_ store: VecdStore, words: [String], chunkCount: Int, label: String) async throws {
        let clock = ContinuousClock()
        var hybrid: [Double] = []
        var fullText: [Double] = []
        for q in 0..<200 {
            let query = "\(words[q % words.count]) \(words[(q * 5) % words.count]) section"
            var start = clock.now
            let hits = try await store.hybridSearch(query, in: "kb", k: 10)
            hybrid.append(milliseconds(clock.now - start))
            #expect(hits.count == 10)
            start = clock.now
            _ = try store.fullTextSearch(query, in: "kb", k: 40)
            fullText.append(milliseconds(clock.now - start))
        }
        print(
            "figure hybrid_search\(label)_ms chunks=\(chunkCount) p50=\(percentile(hybrid, 0.5)) p99=\(percentile(hybrid, 0.99))")
        print(
            "figure full_text_search\(label)_ms chunks=\(chunkCount) p50=\(percentile(fullText, 0.5)) p99=\(percentile(fullText, 0.99))")
    }

    @Test(
        "ingest A/B: one transaction per document against groups",
        .enabled(if: ProcessInfo.processInfo.environment["VECD_STORE_BENCH_AB"] == "1"))
    func ingestComparison() async throws {
        let embedder = try HashingEmbedder(dimension: 384)
        var corpus = SyntheticCorpus(seed: 7)
        let documents = (0..<500).map { d in
            DocumentInput(
                title: "doc \(d)",
                content: (0..<20).map { c in "Section \(d)-\(c): \(corpus.sentence(words: 26))." }
                    .joined(separator: "\n\n"))
        }
        // Alternating rounds, so that a change in the machine's load hits both settings alike.
        for round in 0..<2 {
            for groupChunks in [1, 512] {
                var configuration = VecdStore.Configuration()
                configuration.ingestionGroupChunkCount = groupChunks
                let store = try VecdStore.temporary(embedder: embedder, configuration: configuration)
                try store.createCollection(CollectionInfo(name: "kb", dimension: 384, modelID: embedder.modelID))
                let start = ContinuousClock.now
                let result = try await store.ingest(documents, into: "kb", chunking: ChunkingOptions(size: 200, overlap: 0))
                let seconds = Self.milliseconds(ContinuousClock.now - start) / 1000
                #expect(result.job.status == .completed)
                print(
                    "figure ingest_ab round=\(round) group_chunks=\(groupChunks) chunks=\(result.job.chunkCount) "
                        + "chunks_per_s=\(Double(result.job.chunkCount) / seconds)")
            }
        }
    }
}

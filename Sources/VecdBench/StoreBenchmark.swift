import Foundation
import Vecd
import VecdEmbed

/// Measures the learning-engine store the way an application uses it: start-up of a temporary store, ingestion of a
/// synthetic corpus into a durable one with the offline embedder, re-open, then single-client latencies of hybrid,
/// full-text and vector search and of cache lookups (`vecd bench store`).
///
/// The corpus is ``SyntheticCorpus``: Zipf-like pronounceable words, so that full-text search meets both very common
/// words (long posting lists) and rare ones. Every figure is a wall-clock time on the calling thread after a warm-up.
public struct StoreBenchmark: Sendable {
    /// Chunks to ingest (documents of ``chunksPerDocument`` chunks each).
    public var chunkCount: Int
    /// Dimension of the offline embedder's vectors.
    public var dimension: Int
    /// Timed queries per search kind (after ``warmupQueries`` untimed ones).
    public var queryCount: Int
    public var warmupQueries = 20
    /// Temporary stores opened to time start-up.
    public var startupRuns = 20
    /// Entries written to the response cache before its lookups are timed.
    public var cacheEntries = 1_000
    public var chunksPerDocument = 20
    public var seed: UInt64 = 42

    public init(chunkCount: Int, dimension: Int = HashingEmbedder.defaultDimension, queryCount: Int = 200) {
        self.chunkCount = chunkCount
        self.dimension = dimension
        self.queryCount = queryCount
    }

    /// Runs every measurement with a durable store in `directory` (created; must not hold a store yet).
    public func run(
        directory: URL, log: @escaping @Sendable (String) -> Void
    ) async throws -> StoreBenchmarkReport {
        let embedder = try HashingEmbedder(dimension: dimension)
        let startup = try measureStartup(embedder: embedder)
        log(String(format: "temporary store start-up: p50 %.2f ms, max %.2f ms", startup.p50Ms, startup.maxMs))

        var corpus = SyntheticCorpus(seed: seed)
        // Query words spread over the frequency ranks, from very common to mid-frequency.
        let words = (0..<18).map { corpus.word(rank: $0 * 40) }
        let (chunks, ingestSeconds) = try await ingest(corpus: &corpus, directory: directory, embedder: embedder, log: log)

        let clock = ContinuousClock()
        let reopenStart = clock.now
        let store = try VecdStore(directory: directory, embedder: embedder)
        let first = try await store.hybridSearch(textQuery(0, words), in: Self.collection, k: 10)
        let reopenToFirstResultMs = (clock.now - reopenStart).milliseconds
        guard first.count == 10 else { throw StoreBenchmarkError.shortAnswer(first.count) }
        log(String(format: "re-open to first hybrid result: %.1f ms", reopenToFirstResultMs))

        let hybrid = try await timed(log: log, "hybrid search k=10") { q in
            let hits = try await store.hybridSearch(textQuery(q, words), in: Self.collection, k: 10)
            guard hits.count == 10 else { throw StoreBenchmarkError.shortAnswer(hits.count) }
        }
        let fullText = try await timed(log: log, "full-text search k=10") { q in
            _ = try store.fullTextSearch(textQuery(q, words), in: Self.collection, k: 10)
        }
        let vector = try await timed(log: log, "vector search k=10 (text embedded)") { q in
            let result = try await store.searchChunks(.text(textQuery(q, words)), in: Self.collection, k: 10)
            guard result.hits.count == 10 else { throw StoreBenchmarkError.shortAnswer(result.hits.count) }
        }

        for i in 0..<cacheEntries {
            try await store.cachePut(query: cacheQuestion(i, words), response: "answer \(i)")
        }
        let cacheExact = try await timed(log: log, "cache lookup, exact hit") { q in
            // Different case and punctuation: the normalized query hash still matches.
            let hit = try await store.cacheGet(query: cacheQuestion(q % cacheEntries, words).uppercased() + "?")
            guard hit?.match == .exact else { throw StoreBenchmarkError.cacheMiss(q) }
        }
        let cacheSemantic = try await timed(log: log, "cache lookup, exact miss then semantic search") { q in
            _ = try await store.cacheGet(query: "about \(words[q % words.count]) question number \(q) please")
        }
        return StoreBenchmarkReport(
            chunks: chunks, dimension: dimension, embedderModelID: embedder.modelID, temporaryStoreStartup: startup,
            ingestSeconds: ingestSeconds, ingestChunksPerSecond: Double(chunks) / ingestSeconds,
            reopenToFirstResultMs: reopenToFirstResultMs, hybridSearch: hybrid, fullTextSearch: fullText,
            vectorSearch: vector, cacheExactHit: cacheExact, cacheSemanticLookup: cacheSemantic,
            cacheEntries: cacheEntries, directoryBytes: Self.byteCount(of: directory))
    }

    static let collection = "kb"
    /// Each paragraph ("Section d-c: " and 26 words, 140–280 scalars) becomes one chunk: the chunker ends a chunk at
    /// the last blank line in the second half of its window, and two paragraphs rarely fit in one window.
    static let chunking = ChunkingOptions(size: 280, overlap: 0)

    private func textQuery(_ q: Int, _ words: [String]) -> String {
        "\(words[q % words.count]) \(words[(q * 5) % words.count]) section"
    }

    private func cacheQuestion(_ i: Int, _ words: [String]) -> String {
        "question number \(i) about \(words[i % words.count])"
    }

    private func measureStartup(embedder: HashingEmbedder) throws -> LatencySummary {
        let clock = ContinuousClock()
        var samples: [Double] = []
        for _ in 0..<startupRuns {
            let start = clock.now
            let store = try VecdStore.temporary(embedder: embedder)
            _ = try store.collections()
            samples.append((clock.now - start).milliseconds)
        }
        return LatencySummary(samples)
    }

    /// Ingests the corpus in jobs of at most ``VecdStore/maxDocumentsPerIngestion`` documents, as a client loading
    /// a corpus sends them; the store is closed on return, so the next open is a restart.
    private func ingest(
        corpus: inout SyntheticCorpus, directory: URL, embedder: HashingEmbedder,
        log: @escaping @Sendable (String) -> Void
    ) async throws -> (chunks: Int, seconds: Double) {
        let store = try VecdStore(directory: directory, embedder: embedder)
        try store.createCollection(CollectionInfo(name: Self.collection, dimension: dimension, modelID: embedder.modelID))
        var documents: [DocumentInput] = []
        for d in 0..<max(1, chunkCount / chunksPerDocument) {
            let text = (0..<chunksPerDocument).map { c in "Section \(d)-\(c): \(corpus.sentence(words: 26))." }
            documents.append(DocumentInput(title: "doc \(d)", content: text.joined(separator: "\n\n")))
        }
        let clock = ContinuousClock()
        let start = clock.now
        var chunks = 0
        for first in stride(from: 0, to: documents.count, by: VecdStore.maxDocumentsPerIngestion) {
            let slice = Array(documents[first..<min(documents.count, first + VecdStore.maxDocumentsPerIngestion)])
            let result = try await store.ingest(slice, into: Self.collection, chunking: Self.chunking)
            guard result.job.status == .completed else { throw StoreBenchmarkError.ingestion(result.job.errors.count) }
            chunks += result.job.chunkCount
            log("ingest: \(chunks) chunks")
        }
        let seconds = (clock.now - start).milliseconds / 1000
        log(String(format: "ingest: %d chunks in %.1f s (%.0f chunks/s)", chunks, seconds, Double(chunks) / seconds))
        return (chunks, seconds)
    }

    private func timed(
        log: @Sendable (String) -> Void, _ name: String, _ body: (Int) async throws -> Void
    ) async throws -> LatencySummary {
        let clock = ContinuousClock()
        for q in 0..<warmupQueries { try await body(queryCount + q) }
        var samples: [Double] = []
        samples.reserveCapacity(queryCount)
        for q in 0..<queryCount {
            let start = clock.now
            try await body(q)
            samples.append((clock.now - start).milliseconds)
        }
        let summary = LatencySummary(samples)
        log(String(format: "%@: p50 %.3f ms, p99 %.3f ms", name, summary.p50Ms, summary.p99Ms))
        return summary
    }

    private static func byteCount(of directory: URL) -> Int {
        guard let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.fileSizeKey])
        else { return 0 }
        var total = 0
        for case let file as URL in files {
            total += (try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
        }
        return total
    }
}

/// Why `vecd bench store` stopped: the store answered something a correct store never answers.
public enum StoreBenchmarkError: Error, CustomStringConvertible {
    case shortAnswer(Int)
    case cacheMiss(Int)
    case ingestion(Int)

    public var description: String {
        switch self {
        case .shortAnswer(let count): "a search over the corpus answered \(count) rows instead of 10"
        case .cacheMiss(let i): "cache entry \(i) was not found by its exact query"
        case .ingestion(let errors): "ingestion did not complete (\(errors) document errors)"
        }
    }
}

extension Duration {
    var milliseconds: Double { seconds * 1000 }
}

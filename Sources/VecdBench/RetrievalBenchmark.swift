import Foundation
import Vecd
import VecdEmbed
import VecdIndex

/// What the default store retrieves on real text (`vecd bench retrieval`): every passage is ingested as a document
/// of exactly one chunk into a durable store with the offline embedder, then each query runs as a vector search, a
/// full-text (FTS5 bm25) search and a hybrid search, and the top k of each is scored against the data's ground truth
/// (recall@k), with single-client latencies.
///
/// Nothing is special-cased for the benchmark: the calls are the ones an application makes, with the store's
/// default configuration, chunking and fusion weights; only the chunking is set so that one line is one chunk.
public struct RetrievalBenchmark: Sendable {
    public var data: RetrievalData
    /// Dimension of the offline embedder's vectors.
    public var dimension: Int
    public var k: Int
    /// The store's `efSearch` for the vector side of vector and hybrid search; nil keeps the store's default.
    public var efSearch: Int?
    /// Untimed queries run in each mode before the timed pass (the first queries, run again when timed).
    public var warmupQueries = 20

    /// `dimension` nil means the embedder's default.
    public init(data: RetrievalData, dimension: Int? = nil, k: Int = 10, efSearch: Int? = nil) {
        self.data = data
        self.dimension = dimension ?? HashingEmbedder.defaultDimension
        self.k = k
        self.efSearch = efSearch
    }

    static let collection = "retrieval"
    static let documentIDPrefix = "base-"
    /// Stated by the store's own parsing (``VecdStore/explainFullTextQuery(_:)``) and the chunk index's schema.
    static let fullTextQueryDescription =
        "each distinct lowercased word of the query quoted and joined by OR (no FTS5 syntax from the user), "
        + "words in more than half of the chunks left out of the ranked match; FTS5 porter unicode61, "
        + "bm25 with title weight 2, content 1"

    /// Runs the benchmark with a durable store in `directory` (created; must not hold a store yet).
    public func run(directory: URL, log: @escaping @Sendable (String) -> Void) async throws -> RetrievalReport {
        let embedder = try HashingEmbedder(dimension: dimension)
        var configuration = VecdStore.Configuration()
        if let efSearch { configuration.efSearch = efSearch }
        let store = try VecdStore(directory: directory, embedder: embedder, configuration: configuration)
        try store.createCollection(
            CollectionInfo(name: Self.collection, dimension: dimension, modelID: embedder.modelID))
        let ingestSeconds = try await ingest(into: store, log: log)

        let vector = try await timed("vector", log: log) { query in
            try await store.searchChunks(.text(query), in: Self.collection, k: k).hits
        }
        let fullText = try await timed("full_text", log: log) { query in
            try store.fullTextSearch(query, in: Self.collection, k: k)
        }
        let hybrid = try await timed("hybrid", log: log) { query in
            try await store.hybridSearch(query, in: Self.collection, k: k)
        }
        var dropped = 0
        for query in data.queries where !(try store.explainFullTextQuery(query).droppedWords.isEmpty) { dropped += 1 }
        let example = try store.explainFullTextQuery(data.queries[0])

        let settings = RetrievalSettings(
            efSearch: store.configuration.efSearch, m: HNSWParameters.defaultM,
            efConstruction: HNSWParameters.defaultEFConstruction,
            hybridCandidates: VecdStore.hybridCandidateCount(k: k), rrfK: FusionWeights().rrfK,
            vectorWeight: FusionWeights().vector, textWeight: FusionWeights().text,
            fullTextQuery: Self.fullTextQueryDescription)
        return RetrievalReport(
            passages: data.passages.count, queries: data.queries.count, k: k, dimension: dimension,
            embedderModelID: embedder.modelID, ingestSeconds: ingestSeconds,
            ingestChunksPerSecond: Double(data.passages.count) / ingestSeconds, settings: settings,
            vector: result(vector), fullText: result(fullText), hybrid: result(hybrid),
            queriesWithDroppedWords: dropped, vectorTextOverlap: overlap(vector.rows, fullText.rows),
            unionRecall: unionRecall(vector.rows, fullText.rows), exampleQuery: data.queries[0],
            exampleMatch: example.rankedMatch ?? example.fullMatch ?? "(no words)")
    }

    /// Ingests each passage as document `base-<row>` of one chunk, in jobs of at most
    /// ``VecdStore/maxDocumentsPerIngestion`` documents; returns the seconds it took.
    private func ingest(into store: VecdStore, log: @Sendable (String) -> Void) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        for first in stride(from: 0, to: data.passages.count, by: VecdStore.maxDocumentsPerIngestion) {
            let rows = first..<min(data.passages.count, first + VecdStore.maxDocumentsPerIngestion)
            let documents = rows.map { DocumentInput(id: "\(Self.documentIDPrefix)\($0)", content: data.passages[$0]) }
            // Whole-document chunking: the longest allowed chunk holds any line of debian-384 (21 kB at most).
            let result = try await store.ingest(documents, into: Self.collection, chunking: .wholeDocument)
            guard result.job.status == .completed, result.job.chunkCount == rows.count else {
                throw RetrievalBenchmarkError.notOneChunkEach(
                    documents: rows.count, chunks: result.job.chunkCount, failures: result.job.errors.count)
            }
            log("ingest: \(rows.upperBound) of \(data.passages.count) passages")
        }
        let seconds = (clock.now - start).milliseconds / 1000
        log(String(format: "ingest: %.1f s (%.0f chunks/s)", seconds, Double(data.passages.count) / seconds))
        return seconds
    }

    /// One mode's answers (as passage rows) and latencies over every query.
    struct ModeRun {
        var mode: String
        var rows: [[Int]]
        var latency: LatencySummary
    }

    private func timed(
        _ mode: String, log: @Sendable (String) -> Void, _ search: (String) async throws -> [ChunkHit]
    ) async throws -> ModeRun {
        for query in data.queries.prefix(warmupQueries) { _ = try await search(query) }
        let clock = ContinuousClock()
        var samples: [Double] = []
        var rows: [[Int]] = []
        samples.reserveCapacity(data.queries.count)
        for query in data.queries {
            let start = clock.now
            let hits = try await search(query)
            samples.append((clock.now - start).milliseconds)
            rows.append(try hits.map { try Self.row(of: $0) })
        }
        let run = ModeRun(mode: mode, rows: rows, latency: LatencySummary(samples))
        log(String(format: "%@: recall@%d %.4f, p50 %.3f ms", mode, k, recall(rows, 0..<rows.count),
                   run.latency.p50Ms))
        return run
    }

    /// The passage row a hit came from (its document id is `base-<row>`).
    static func row(of hit: ChunkHit) throws -> Int {
        guard hit.document.id.hasPrefix(documentIDPrefix),
            let row = Int(hit.document.id.dropFirst(documentIDPrefix.count))
        else { throw RetrievalBenchmarkError.foreignHit(hit.document.id) }
        return row
    }

    func recall(_ rows: [[Int]], _ queries: Range<Int>) -> Double {
        guard !queries.isEmpty else { return 0 }
        let total = queries.reduce(0) { sum, q in
            sum + Set(data.truth[q].prefix(k)).intersection(rows[q].prefix(k)).count
        }
        return Double(total) / Double(queries.count * k)
    }

    private func result(_ run: ModeRun) -> RetrievalModeResult {
        let half = run.rows.count / 2
        return RetrievalModeResult(
            mode: run.mode, recall: recall(run.rows, 0..<run.rows.count), recallFirstHalf: recall(run.rows, 0..<half),
            recallSecondHalf: recall(run.rows, half..<run.rows.count),
            shortAnswers: run.rows.filter { $0.count < k }.count, latency: run.latency)
    }

    private func overlap(_ a: [[Int]], _ b: [[Int]]) -> Double {
        let shared = zip(a, b).reduce(0) { $0 + Set($1.0.prefix(k)).intersection($1.1.prefix(k)).count }
        return Double(shared) / Double(max(1, a.count * k))
    }

    private func unionRecall(_ a: [[Int]], _ b: [[Int]]) -> Double {
        let found = a.indices.reduce(0) { sum, q in
            sum + Set(data.truth[q].prefix(k)).intersection(Set(a[q].prefix(k)).union(b[q].prefix(k))).count
        }
        return Double(found) / Double(max(1, a.count * k))
    }
}

/// Why `vecd bench retrieval` stopped: the store did something that would make the figures meaningless.
public enum RetrievalBenchmarkError: Error, CustomStringConvertible {
    /// The chunker split or merged passages, or some failed: rows would no longer map to chunks one to one.
    case notOneChunkEach(documents: Int, chunks: Int, failures: Int)
    /// A hit from a document the benchmark did not ingest.
    case foreignHit(String)

    public var description: String {
        switch self {
        case .notOneChunkEach(let documents, let chunks, let failures):
            "ingesting \(documents) passages made \(chunks) chunks (\(failures) failed); each must be exactly one"
        case .foreignHit(let id): "a search returned document \(id), which the benchmark did not ingest"
        }
    }
}

import Foundation
import Testing
import Vecd
import VecdBench
import VecdIndex
import VecdKernels

/// The store's search path (documents ingested in batches, SQLite rows, index files, `efSearch` from the store's
/// configuration, hits mapped back to documents) must find what an in-process HNSW build of the same rows finds at
/// the same efSearch. A store that searched with another candidate-list size, split it across segments, or lost
/// rows between SQLite and the index would read lower recall here.
@Suite("Store search recall against the in-process index")
struct StoreRecallTests {
    static let rows = 2_000
    static let dimension = 32
    static let queryCount = 100
    /// Small enough that recall@10 stays well below 1 (a saturated comparison proves nothing), and far enough apart
    /// that an efSearch the store failed to pass down would show.
    static let efSearchValues = [10, 30]

    static let base = SyntheticVectors.clustered(rows: rows, dimension: dimension, spread: 1.5, seed: 0x5EED_0200)
    static let queries = SyntheticVectors.clustered(rows: queryCount, dimension: dimension, spread: 1.5, seed: 0x5EED_0201)
    static let truth = ExactNeighbors.compute(base: base, queries: queries, k: 10, metric: .cosine)

    /// recall@10 of an ``HNSWIndex`` built in-process from the rows in order, one insert per row as the store makes.
    static func indexRecall(efSearch: Int) throws -> Double {
        let index = try HNSWIndex(parameters: HNSWParameters(dimension: dimension, metric: .cosine))
        for row in 0..<rows { try index.add(Array(base.row(row))) }
        let answers = try (0..<queryCount).map { q in
            try index.search(Array(queries.row(q)), parameters: SearchParameters(k: 10, efSearch: efSearch))
                .neighbors.map { Int32($0.slot) }
        }
        return ExactNeighbors.recall(results: answers, truth: truth, k: 10)
    }

    /// recall@10 of the same rows ingested into a store as one-chunk documents (500 per ingestion, as the load
    /// benchmark sends them), searched through ``VecdStore/searchChunks(_:in:filter:k:minScore:)``.
    static func storeRecall(efSearch: Int, flushRowCount: Int) async throws -> (recall: Double, segments: Int) {
        var configuration = VecdStore.Configuration()
        configuration.efSearch = efSearch
        configuration.indexFlushRowCount = flushRowCount
        let store = try VecdStore.temporary(configuration: configuration)
        try store.createCollection(CollectionInfo(name: "recall", dimension: dimension))
        for start in stride(from: 0, to: rows, by: 500) {
            let documents = (start..<min(start + 500, rows)).map { row in
                DocumentInput(title: String(row), content: "row \(row)", vectors: [Array(base.row(row))])
            }
            _ = try await store.ingest(documents, into: "recall")
        }
        var answers: [[Int32]] = []
        for q in 0..<queryCount {
            let found = try await store.searchChunks(.vector(Array(queries.row(q))), in: "recall", k: 10)
            answers.append(found.hits.compactMap { Int32($0.document.title) })
        }
        let segments = try store.stats().collections.first { $0.name == "recall" }?.segmentCount ?? -1
        return (ExactNeighbors.recall(results: answers, truth: truth, k: 10), segments)
    }

    @Test("one segment: the store's recall@10 is the in-process index's at the same efSearch", arguments: efSearchValues)
    func oneSegment(efSearch: Int) async throws {
        let expected = try Self.indexRecall(efSearch: efSearch)
        let (recall, segments) = try await Self.storeRecall(efSearch: efSearch, flushRowCount: 50_000)
        #expect(segments == 0, "every row stays in the in-memory part below the flush threshold")
        #expect(expected < 0.99, "efSearch \(efSearch) saturates recall (\(expected)); the comparison needs headroom")
        #expect(abs(recall - expected) <= 0.02, "store \(recall) vs in-process \(expected) at efSearch \(efSearch)")
    }

    @Test("several segments: each is walked at the full efSearch, so the merge loses nothing")
    func severalSegments() async throws {
        let efSearch = Self.efSearchValues[0]
        let expected = try Self.indexRecall(efSearch: efSearch)
        let (recall, segments) = try await Self.storeRecall(efSearch: efSearch, flushRowCount: 500)
        #expect(segments == 4)
        #expect(recall >= expected - 0.02, "store \(recall) vs in-process \(expected) at efSearch \(efSearch)")
    }
}

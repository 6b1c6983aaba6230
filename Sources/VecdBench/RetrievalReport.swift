import Foundation

/// Recall and latency of one search mode in `vecd bench retrieval`.
public struct RetrievalModeResult: Codable, Sendable, Equatable {
    /// `vector`, `full_text` or `hybrid`.
    public var mode: String
    /// Mean recall@k over every query.
    public var recall: Double
    /// Mean recall@k over the first half of the queries (0–499 of debian-384's 1,000).
    public var recallFirstHalf: Double
    /// Mean recall@k over the second half (500–999).
    public var recallSecondHalf: Double
    /// Queries that came back with fewer than k rows.
    public var shortAnswers: Int
    public var latency: LatencySummary

    enum CodingKeys: String, CodingKey {
        case mode, recall, recallFirstHalf = "recall_first_half", recallSecondHalf = "recall_second_half"
        case shortAnswers = "short_answers", latency
    }
}

/// The store settings a retrieval figure depends on (none of them is the commit).
public struct RetrievalSettings: Codable, Sendable, Equatable {
    public var efSearch: Int
    public var m: Int
    public var efConstruction: Int
    /// Rows each side hands to the rank fusion in hybrid search.
    public var hybridCandidates: Int
    public var rrfK: Double
    public var vectorWeight: Double
    public var textWeight: Double
    /// How `fullTextSearch` turns a query into FTS5 matches.
    public var fullTextQuery: String

    enum CodingKeys: String, CodingKey {
        case efSearch = "ef_search", m, efConstruction = "ef_construction", hybridCandidates = "hybrid_candidates"
        case rrfK = "rrf_k", vectorWeight = "vector_weight", textWeight = "text_weight"
        case fullTextQuery = "full_text_query"
    }
}

/// What `vecd bench retrieval --json` writes (see ``RetrievalBenchmark``).
public struct RetrievalReport: Codable, Sendable {
    public var passages: Int
    public var queries: Int
    public var k: Int
    public var dimension: Int
    public var embedderModelID: String
    public var ingestSeconds: Double
    public var ingestChunksPerSecond: Double
    public var settings: RetrievalSettings
    public var vector: RetrievalModeResult
    public var fullText: RetrievalModeResult
    public var hybrid: RetrievalModeResult
    /// Queries whose ranked FTS5 match left out words found in more than half of the chunks.
    public var queriesWithDroppedWords: Int
    /// Mean share of the vector top k that the full-text top k also holds.
    public var vectorTextOverlap: Double
    /// Mean recall@k of the union of the vector and full-text top k (up to 2k rows): what a fusion that kept the
    /// best of both top-k lists could reach at most.
    public var unionRecall: Double
    /// The first query and how the store read it, as an example.
    public var exampleQuery: String
    public var exampleMatch: String

    enum CodingKeys: String, CodingKey {
        case passages, queries, k, dimension, embedderModelID = "embedder_model_id", ingestSeconds = "ingest_seconds"
        case ingestChunksPerSecond = "ingest_chunks_per_second", settings, vector, fullText = "full_text", hybrid
        case queriesWithDroppedWords = "queries_with_dropped_words", vectorTextOverlap = "vector_text_overlap"
        case unionRecall = "union_recall", exampleQuery = "example_query", exampleMatch = "example_match"
    }

    /// The human-readable report `vecd bench retrieval` prints.
    public func table() -> String {
        let half = queries / 2
        var lines = [
            "embedder \(embedderModelID) (dimension \(dimension)); \(passages) passages, one chunk each",
            String(format: "ingest: %.1f s, %.0f chunks/s", ingestSeconds, ingestChunksPerSecond),
            "store: ef_search \(settings.efSearch), m \(settings.m), ef_construction \(settings.efConstruction); "
                + "hybrid: \(settings.hybridCandidates) candidates per side, RRF k \(Self.number(settings.rrfK)), "
                + "weights vector \(Self.number(settings.vectorWeight)) / text \(Self.number(settings.textWeight))",
            "full-text query: \(settings.fullTextQuery)",
            "  e.g. \"\(exampleQuery)\" → \(exampleMatch)",
            "  \(queriesWithDroppedWords) of \(queries) queries had common words left out of the ranked match",
            "",
            Self.row([
                "mode", "recall@\(k)", "q 0–\(half - 1)", "q \(half)–\(queries - 1)", "p50 ms", "p99 ms", "short",
            ]),
        ]
        for result in [vector, fullText, hybrid] {
            lines.append(
                Self.row([
                    result.mode, String(format: "%.4f", result.recall), String(format: "%.4f", result.recallFirstHalf),
                    String(format: "%.4f", result.recallSecondHalf), String(format: "%.3f", result.latency.p50Ms),
                    String(format: "%.3f", result.latency.p99Ms), String(result.shortAnswers),
                ]))
        }
        lines.append("")
        lines.append(
            String(
                format: "vector/full-text top-%d overlap %.3f; recall of their union (≤ %d rows) %.4f", k,
                vectorTextOverlap, 2 * k, unionRecall))
        return lines.joined(separator: "\n")
    }

    /// The first cell left-aligned in 10 columns, the others right-aligned in 12.
    private static func row(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in
            let width = index == 0 ? 10 : 12
            let pad = String(repeating: " ", count: max(0, width - cell.count))
            return index == 0 ? cell + pad : pad + cell
        }.joined(separator: " ")
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

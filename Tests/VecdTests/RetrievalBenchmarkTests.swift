import Foundation
import Testing
import VecdBench
import VecdEmbed

/// `vecd bench retrieval` on generated texts whose truth is known exactly: the benchmark must score what the store
/// really returns, read its data files as written, and refuse data it cannot map one row to one chunk.
@Suite("Retrieval benchmark")
struct RetrievalBenchmarkTests {
    static let passageCount = 240

    /// Passages of seeded synthetic words; passage i also holds the word `zeta<i>q`, found in no other passage.
    static func passages() -> [String] {
        var corpus = SyntheticCorpus(seed: 7, vocabularySize: 2_000)
        return (0..<passageCount).map { "\(corpus.sentence(words: 12)) zeta\($0)q \(corpus.sentence(words: 8))" }
    }

    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("vecd-retrieval-bench-\(UUID())")
    }

    @Test("vector recall against the same embedder's exact cosine top 10 is at least 0.9")
    func vectorRecallAgainstExactTruth() async throws {
        let passages = Self.passages()
        var corpus = SyntheticCorpus(seed: 11, vocabularySize: 2_000)
        let queries = (0..<30).map { _ in corpus.sentence(words: 4) }
        let embedder = try HashingEmbedder(dimension: 128)
        let passageVectors = try embedder.embedNow(passages)
        let truth = try embedder.embedNow(queries).map { Self.exactTopTen($0, among: passageVectors) }
        let data = try RetrievalData(passages: passages, queries: queries, truth: truth, k: 10)
        var benchmark = RetrievalBenchmark(data: data, dimension: 128, k: 10)
        benchmark.warmupQueries = 2
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try await benchmark.run(directory: directory) { _ in }

        #expect(report.passages == Self.passageCount && report.queries == 30 && report.k == 10)
        #expect(report.embedderModelID == embedder.modelID)
        #expect(report.vector.recall >= 0.9)
        #expect(report.vector.shortAnswers == 0 && report.hybrid.shortAnswers == 0)
        #expect(report.unionRecall >= report.vector.recall && report.unionRecall >= report.fullText.recall)
        for mode in [report.vector, report.fullText, report.hybrid] {
            #expect(mode.latency.count == 30)
            #expect((0...1).contains(mode.recallFirstHalf) && (0...1).contains(mode.recallSecondHalf))
            // Both halves hold 15 queries, so the overall recall is their mean.
            let halvesMean: Double = (mode.recallFirstHalf + mode.recallSecondHalf) / 2
            #expect(abs(halvesMean - mode.recall) < 1e-9)
        }
        #expect(report.table().contains("hybrid"))
        let decoded = try JSONDecoder().decode(RetrievalReport.self, from: JSONEncoder().encode(report))
        #expect(decoded.vector == report.vector && decoded.settings == report.settings)
    }

    /// The 10 rows of `passages` most similar to `query` by cosine, ties to the smaller row. The vectors are unit
    /// length, so cosine order is dot-product order.
    static func exactTopTen(_ query: [Float], among passages: [[Float]]) -> [Int] {
        var scored: [(similarity: Double, row: Int)] = []
        for (row, passage) in passages.enumerated() {
            var dot = 0.0
            for (a, b) in zip(query, passage) { dot += Double(a) * Double(b) }
            scored.append((dot, row))
        }
        scored.sort { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.row < $1.row }
        return scored.prefix(10).map(\.row)
    }

    @Test("full-text search finds each passage by the one word only it contains, read from real files")
    func fullTextFindsUniqueWordFromFiles() async throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let passages = Self.passages()
        let asked = Array(stride(from: 3, to: Self.passageCount, by: 9))
        try (passages.joined(separator: "\n") + "\n").write(
            to: directory.appendingPathComponent("base.txt"), atomically: true, encoding: .utf8)
        try asked.map { "zeta\($0)q" }.joined(separator: "\n").write(
            to: directory.appendingPathComponent("queries.txt"), atomically: true, encoding: .utf8)
        try VectorFile.writeIvecs(
            VectorMatrix(rows: asked.count, dimension: 1, values: asked.map { Int32($0) }),
            to: directory.appendingPathComponent("gt.ivecs").path)

        let data = try RetrievalData.load(directory: directory, k: 1)
        #expect(data.passages == passages && data.truth == asked.map { [$0] })
        var benchmark = RetrievalBenchmark(data: data, dimension: 128, k: 1)
        benchmark.warmupQueries = 1
        let report = try await benchmark.run(directory: directory.appendingPathComponent("store")) { _ in }
        #expect(report.fullText.recall == 1)
        #expect(report.exampleMatch == "\"zeta3q\"")
        #expect(report.queriesWithDroppedWords == 0)
    }

    @Test("data whose truth names a passage that does not exist is refused")
    func truthOutOfRange() {
        #expect(throws: RetrievalDataError.shape("gt.ivecs row 0 names passage 5; base.txt has 2 lines")) {
            try RetrievalData(passages: ["a b", "c d"], queries: ["a"], truth: [[5]], k: 1)
        }
    }

    @Test("a blank passage is refused: it would make a document without a chunk")
    func blankPassage() {
        #expect(throws: RetrievalDataError.emptyText(file: "base.txt", line: 2)) {
            try RetrievalData(passages: ["a b", "  "], queries: ["a"], truth: [[0]], k: 1)
        }
        #expect(throws: RetrievalDataError.shape("gt.ivecs has 2 rows but queries.txt has 1 lines")) {
            try RetrievalData(passages: ["a b"], queries: ["a"], truth: [[0], [0]], k: 1)
        }
    }
}

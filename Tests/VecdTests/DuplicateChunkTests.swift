import Foundation
import Testing
import Vecd
import VecdBench
import VecdIndex

/// Knowledge bases repeat text: FAQ templates, footers, disclaimers. Through the store's text path (embedder,
/// SQLite, index files), a unique document among hundreds of copies of boilerplate chunks must still be found, and
/// stay found across a restart and a reindex.
@Suite("Store search over duplicate-heavy chunks")
struct DuplicateChunkTests {
    static let boilerplate = [
        "Frequently asked question: how do I reset my password from the account settings page",
        "Our support team answers every request within two business days of receiving it",
        "This answer is provided for information only and does not constitute professional advice",
        "Was this article helpful? Tell us what we can improve in the feedback form below",
        "Copyright notice: all content on this help centre belongs to the publisher",
    ]
    static let report = "Quarterly report: the reading lamp uses 7 watts."

    /// 300 FAQ documents of five boilerplate paragraphs each (1,500 chunks of five distinct texts), then one report.
    static func fill(_ store: VecdStore) async throws {
        var documents: [DocumentInput] = []
        for faq in 0..<300 {
            for paragraph in boilerplate { documents.append(DocumentInput(title: "FAQ \(faq)", content: paragraph)) }
        }
        documents.append(DocumentInput(title: "report", content: report))
        _ = try await store.ingest(documents, into: "kb", chunking: .wholeDocument)
    }

    static func configuration() -> VecdStore.Configuration {
        var configuration = VecdStore.Configuration()
        configuration.indexFlushRowCount = 100_000
        return configuration
    }

    static func expectReportFirst(_ store: VecdStore, _ when: String) async throws {
        let found = try await store.searchChunks(.text("lamp watts"), in: "kb", k: 3)
        #expect(found.hits.first?.document.title == "report",
                "\(when): got \(found.hits.map(\.document.title)), measured \(found.report?.distanceCount ?? -1)")
    }

    @Test("the unique document among boilerplate copies comes first at the default efSearch, after restart and reindex")
    func reportAmongBoilerplate() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-dup-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let embedder = WordHashEmbedder()
        do {
            let store = try VecdStore(directory: directory, embedder: embedder, configuration: Self.configuration())
            try store.createCollection(CollectionInfo(name: "kb", dimension: 64, modelID: embedder.modelID))
            try await Self.fill(store)
            try await Self.expectReportFirst(store, "fresh")
        }
        let reopened = try VecdStore(directory: directory, embedder: embedder, configuration: Self.configuration())
        try await Self.expectReportFirst(reopened, "reopened")
        try reopened.reindex()
        try await Self.expectReportFirst(reopened, "reindexed")
    }

    @Test("recall@10 with ties resolved is at least 0.95 through the text path, with copies first and last")
    func recallThroughTextPath() async throws {
        let embedder = WordHashEmbedder()
        let store = try VecdStore.temporary(embedder: embedder, configuration: Self.configuration())
        try store.createCollection(CollectionInfo(name: "kb", dimension: 64, modelID: embedder.modelID))
        var generator = SeededGenerator(seed: 0xFA9)
        let words = ["lamp", "desk", "chair", "printer", "router", "cable", "window", "door", "heater", "fan",
                     "screen", "mouse", "battery", "charger", "kettle", "shelf", "plant", "clock", "radio", "phone"]
        func sentence() -> String {
            (0..<4).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined(separator: " ")
        }
        var texts: [String] = []
        for _ in 0..<200 { texts += Self.boilerplate }  // 1,000 copies first
        for _ in 0..<1000 { texts.append(sentence()) }
        let repeated = (0..<10).map { _ in sentence() }
        for _ in 0..<50 { texts += repeated }  // 500 copies last
        _ = try await store.ingest(texts.map { DocumentInput(content: $0) }, into: "kb", chunking: .wholeDocument)
        let vectors = texts.map(embedder.vector)
        var hits = 0
        var asked = 0
        for q in 0..<60 {
            let query = q % 3 == 0 ? repeated[q % 10] : sentence()
            let queryVector = embedder.vector(query)
            func similarity(_ vector: [Float]) -> Double {
                zip(queryVector, vector).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            }
            let exact = vectors.map(similarity).sorted(by: >)
            let tenth = exact[9]
            let found = try await store.searchChunks(.text(query), in: "kb", k: 10, efSearch: 64)
            // A tie with the true 10th is a right answer: any copy of a neighbour counts as the neighbour.
            hits += found.hits.prefix(10).filter { similarity(embedder.vector($0.chunk.content)) >= tenth - 1e-5 }.count
            asked += 10
        }
        let recall = Double(hits) / Double(asked)
        #expect(recall >= 0.95, "recall \(recall)")
    }
}

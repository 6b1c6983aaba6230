import Foundation
import Testing
import VecdEmbed

/// One labelled pair from `Fixtures/cache-pairs*.jsonl`.
struct CachePair: Decodable, CustomTestStringConvertible, Sendable {
    let cached: String
    let query: String
    let shouldHit: Bool
    let kind: String

    enum CodingKeys: String, CodingKey {
        case cached, query, kind
        case shouldHit = "should_hit"
    }

    var testDescription: String { "\(cached) / \(query)" }

    static func load(_ name: String) throws -> [CachePair] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "jsonl"))
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(CachePair.self, from: Data($0.utf8)) }
    }
}

/// The semantic-cache decision as the store makes it: the offline embedder's cosine above the threshold, and the guard.
private func decides(_ pair: CachePair, embedder: HashingEmbedder) throws -> (hit: Bool, cosine: Float) {
    let vectors = try embedder.embedNow([pair.cached, pair.query])
    let cosine = zip(vectors[0], vectors[1]).reduce(0) { $0 + $1.0 * $1.1 }
    let hit = cosine >= QueryGuard.hashingEmbedderThreshold && QueryGuard().allowsMatch(pair.cached, pair.query)
    return (hit, cosine)
}

@Suite("Semantic cache decision on labelled pairs")
struct CachePairTests {
    @Test("no should_hit:false pair hits", arguments: ["cache-pairs", "cache-pairs-extra"])
    func noWrongHits(file: String) throws {
        let embedder = try HashingEmbedder()
        let pairs = try CachePair.load(file)
        #expect(pairs.count >= 40)
        for pair in pairs where !pair.shouldHit {
            let decision = try decides(pair, embedder: embedder)
            #expect(!decision.hit, "\(pair.kind): \(pair.cached) / \(pair.query), cosine \(decision.cosine)")
        }
    }

    @Test("most paraphrases hit", arguments: [("cache-pairs", 0.9), ("cache-pairs-extra", 0.55)])
    func paraphrasesHit(file: String, floor: Double) throws {
        let embedder = try HashingEmbedder()
        let paraphrases = try CachePair.load(file).filter(\.shouldHit)
        var hits = 0
        for pair in paraphrases {
            let decision = try decides(pair, embedder: embedder)
            if decision.hit { hits += 1 }
            let reason = QueryGuard().difference(pair.cached, pair.query).map { "\($0)" } ?? "guard allows"
            print("\(decision.hit ? "hit " : "miss") cos=\(decision.cosine) \(pair.cached) / \(pair.query): \(reason)")
        }
        let rate = Double(hits) / Double(paraphrases.count)
        print("\(file): \(hits)/\(paraphrases.count) paraphrases hit (\(rate))")
        #expect(rate >= floor)
    }
}

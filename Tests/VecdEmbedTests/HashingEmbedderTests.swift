import Testing
import VecdEmbed

private func cosine(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
}

@Suite("Offline hashing embedder")
struct HashingEmbedderTests {
    @Test("vectors have the configured dimension and unit length", arguments: [64, 384, 1536])
    func unitLength(dimension: Int) throws {
        let embedder = try HashingEmbedder(dimension: dimension)
        let vectors = try embedder.embedNow(["Privacy enhancing HTTP proxy", "x", "Ünïcödé façade — 東京タワー"])
        for vector in vectors {
            #expect(vector.count == dimension)
            #expect(abs(cosine(vector, vector) - 1) < 1e-4)
            #expect(vector.allSatisfy { $0.isFinite })
        }
        #expect(embedder.modelID == "vecd-hashing-v1-\(dimension)")
    }

    @Test("the same text gives bit-identical vectors, in any batch and through the async API")
    func deterministic() async throws {
        let embedder = try HashingEmbedder()
        let alone = try embedder.embedNow(["GNU R package for multiple comparison procedures"])[0]
        let batched = try await embedder.embed(["first", "GNU R package for multiple comparison procedures", "last"])
        #expect(alone == batched[1])
        #expect(try HashingEmbedder().embedNow(["GNU R package for multiple comparison procedures"])[0] == alone)
    }

    @Test("a fixed text maps to fixed components, so stored vectors stay valid across releases")
    func stableAcrossVersions() throws {
        let vector = try HashingEmbedder(dimension: 64).embedNow(["turn on the kitchen lights"])[0]
        let strongest = vector.indices.sorted { abs(vector[$0]) > abs(vector[$1]) }.prefix(3)
        // Recorded from this implementation; a change here means every stored hashing vector must be re-embedded
        // and the model id must change.
        #expect(Array(strongest) == HashingEmbedderTests.recordedStrongestComponents)
    }
    static let recordedStrongestComponents = [21, 22, 28]

    @Test("case, diacritics and inflection do not matter; word order barely does")
    func folding() throws {
        let embedder = try HashingEmbedder()
        let v = try embedder.embedNow(["Café proxies", "cafe proxy", "proxy café", "kernel module loader"])
        #expect(cosine(v[0], v[1]) > 0.9)
        #expect(cosine(v[0], v[2]) > 0.9)
        #expect(cosine(v[0], v[3]) < 0.3)
    }

    @Test("a related passage scores above unrelated ones")
    func ranking() throws {
        let embedder = try HashingEmbedder()
        let query = "HTTP caching proxy"
        let passages = [
            "Squid is a high-performance proxy caching server for web clients, supporting FTP and HTTP.",
            "This package contains the header files for the Linux kernel.",
            "A collection of fonts designed for reading on screens.",
        ]
        let vectors = try embedder.embedNow([query] + passages)
        let scores = passages.indices.map { cosine(vectors[0], vectors[$0 + 1]) }
        #expect(scores[0] > scores[1] && scores[0] > scores[2])
    }

    @Test("blank text is refused with its index; stop words alone still embed")
    func emptyText() throws {
        let embedder = try HashingEmbedder()
        #expect(throws: EmbedderError.emptyText(index: 1)) { try embedder.embedNow(["ok", " \t\n"]) }
        #expect(throws: EmbedderError.emptyText(index: 0)) { try embedder.embedNow(["?!…"]) }
        let vector = try embedder.embedNow(["is it on"])[0]
        #expect(abs(cosine(vector, vector) - 1) < 1e-4)
    }

    @Test("out-of-range dimensions and oversized texts are refused")
    func limits() throws {
        #expect(throws: EmbedderError.invalidConfiguration("dimension must be in 64...65536, got 63")) {
            try HashingEmbedder(dimension: 63)
        }
        #expect(throws: EmbedderError.invalidConfiguration("dimension must be in 64...65536, got 65537")) {
            try HashingEmbedder(dimension: 65_537)
        }
        let huge = String(repeating: "a", count: HashingEmbedder.maxTextByteCount + 1)
        let tooLong = EmbedderError.textTooLong(
            index: 0, byteCount: huge.utf8.count, limit: HashingEmbedder.maxTextByteCount)
        #expect(throws: tooLong) {
            try HashingEmbedder().embedNow([huge])
        }
    }

    @Test("a custom recipe gets its own model id")
    func recipeModelID() throws {
        let recipe = HashingEmbedder.Recipe(word: 1, pair: 0.5, characterGrams: 1, rarityExponent: 1)
        let embedder = try HashingEmbedder(dimension: 128, recipe: recipe)
        #expect(embedder.modelID != (try HashingEmbedder(dimension: 128)).modelID)
        #expect(embedder.modelID.hasSuffix("-128"))
    }
}

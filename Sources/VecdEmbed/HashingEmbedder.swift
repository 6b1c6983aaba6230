import Foundation
import VecdKernels

/// The built-in offline embedder: deterministic, dependency-free, about as good as keyword search (BM25), and no
/// better — it matches words and spellings, not meanings ("car" and "automobile" are unrelated to it).
///
/// Each text becomes a sparse bag of features — stemmed words, adjacent word pairs, and character 3-, 4- and 5-grams
/// of each word (so "proxies" still meets "proxy", and a typo keeps most of its grams) — weighted by the word's
/// rarity in a fixed corpus (``WordRarity``) and by sub-linear term frequency, then hashed with a fixed hash and a
/// pseudo-random sign into `dimension` components and L2-normalized. The cosine of two vectors estimates the weighted
/// overlap of their features. `docs/embedder.md` gives its measured recall against a neural model and BM25.
public struct HashingEmbedder: Embedder {
    /// The dimension used unless another is given: the smallest at which its recall@10 matches SQLite FTS5 bm25 on
    /// debian-384 (384, the size of the common small sentence-embedding models, stays 0.004 below; docs/embedder.md).
    public static let defaultDimension = 512
    /// Accepted dimensions. Below 64, hash collisions drown the signal; above 65,536 nothing improves.
    public static let dimensionRange = 64...65_536
    /// Texts longer than this many UTF-8 bytes are refused (a chunker should have split them).
    public static let maxTextByteCount = 1 << 20

    /// How much each kind of feature counts. ``v1`` is the tuned default; a different recipe changes ``modelID``.
    public struct Recipe: Sendable, Equatable {
        /// Weight of a whole (stemmed) word.
        public var word: Float
        /// Weight of two adjacent kept words ("http proxy").
        public var pair: Float
        /// Total weight of one word's character n-grams (spread over its n-grams).
        public var characterGrams: Float
        /// Exponent applied to each word's rarity weight (1: plain IDF; 0: every word counts the same).
        public var rarityExponent: Float
        /// Extra weight for words near the start of the text, where a passage usually says what it is about: a word
        /// first seen at position `p` gets `1 + leadBoost · leadWords / (leadWords + p)`.
        public var leadBoost: Float
        /// The scale, in words, of ``leadBoost``'s decay.
        public var leadWords: Float
        /// How much repetition counts: a word seen `n` times weighs `1 + termFrequencyScale · ln n` (BM25-like
        /// saturation; 1 is the classic sub-linear TF).
        public var termFrequencyScale: Float

        public init(
            word: Float, pair: Float, characterGrams: Float, rarityExponent: Float, leadBoost: Float = 0,
            leadWords: Float = 16, termFrequencyScale: Float = 1
        ) {
            self.word = word
            self.pair = pair
            self.characterGrams = characterGrams
            self.rarityExponent = rarityExponent
            self.leadBoost = leadBoost
            self.leadWords = leadWords
            self.termFrequencyScale = termFrequencyScale
        }

        /// The default, chosen on debian-384 against its e5 ground truth (docs/embedder.md, "Tuning").
        public static let v1 = Recipe(
            word: 1, pair: 0, characterGrams: 2, rarityExponent: 0.6, leadBoost: 6, leadWords: 16,
            termFrequencyScale: 0.5)
    }

    /// N-gram lengths counted with the boundary marks ("<a", "<ab", "abc>"); 3...5 measured 0.008 lower recall@10.
    private static let characterGramLengths = 2...4
    private static let pairNamespace: UInt8 = 2
    private static let characterGramNamespace: UInt8 = 3

    public let dimension: Int
    public let recipe: Recipe
    public let modelID: String

    /// Creates an embedder producing `dimension`-component vectors; throws when `dimension` is outside
    /// ``dimensionRange``.
    public init(dimension: Int = defaultDimension, recipe: Recipe = .v1) throws(EmbedderError) {
        guard Self.dimensionRange.contains(dimension) else {
            throw .invalidConfiguration(
                "dimension must be in \(Self.dimensionRange.lowerBound)...\(Self.dimensionRange.upperBound),"
                    + " got \(dimension)")
        }
        self.dimension = dimension
        self.recipe = recipe
        let recipeName = recipe == .v1
            ? "v1"
            : "custom(\(recipe.word),\(recipe.pair),\(recipe.characterGrams),\(recipe.rarityExponent),"
                + "\(recipe.leadBoost),\(recipe.leadWords),\(recipe.termFrequencyScale))"
        modelID = "vecd-hashing-\(recipeName)-\(dimension)"
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        try embedNow(texts)
    }

    /// Embeds `texts` on the calling thread, with the same result as ``embed(_:)``.
    public func embedNow(_ texts: [String]) throws(EmbedderError) -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        for (index, text) in texts.enumerated() {
            vectors.append(try embedOne(text, index: index))
        }
        return vectors
    }

    private func embedOne(_ text: String, index: Int) throws(EmbedderError) -> [Float] {
        let byteCount = text.utf8.count
        guard byteCount <= Self.maxTextByteCount else {
            throw .textTooLong(index: index, byteCount: byteCount, limit: Self.maxTextByteCount)
        }
        var features = TextFeatures(text, rarityExponent: recipe.rarityExponent)
        if features.words.isEmpty {
            // A text of stop words only ("is it on?") still means something: keep them rather than fail.
            features = TextFeatures(text, rarityExponent: recipe.rarityExponent, keepStopWords: true)
        }
        guard !features.words.isEmpty else { throw .emptyText(index: index) }
        var vector = [Float](repeating: 0, count: dimension)
        vector.withUnsafeMutableBufferPointer { buffer in
            let output = buffer.baseAddress!
            for word in features.words {
                let lead = 1 + recipe.leadBoost * recipe.leadWords / (recipe.leadWords + Float(word.firstPosition))
                let weight = word.rarity * (1 + recipe.termFrequencyScale * Float(log(Double(word.count)))) * lead
                add(word.stemHash, weight: recipe.word * weight, to: output)
                addCharacterGrams(of: word.stem, weight: recipe.characterGrams * weight, to: output)
            }
            if recipe.pair != 0 {
                for (left, right) in zip(features.sequence, features.sequence.dropFirst()) {
                    let first = features.words[left]
                    let second = features.words[right]
                    var hash = FeatureHash(namespace: Self.pairNamespace)
                    hash.combine(first.stemHash)
                    hash.combine(second.stemHash)
                    add(hash.value, weight: recipe.pair * (first.rarity + second.rarity) / 2, to: output)
                }
            }
            normalize(output, count: dimension)
        }
        return vector
    }

    /// Adds the n-grams of `<stem>` (with boundary marks, so prefixes and suffixes count), sharing `weight` so that a
    /// long word does not outweigh a short one: each n-gram gets `weight / √(number of n-grams)`.
    private func addCharacterGrams(of stem: [Unicode.Scalar], weight: Float, to output: UnsafeMutablePointer<Float>) {
        let padded = stem.count + 2
        var gramCount = 0
        for length in Self.characterGramLengths where padded >= length { gramCount += padded - length + 1 }
        guard gramCount > 0 else { return }
        let gramWeight = weight / Float(gramCount).squareRoot()
        func scalar(at position: Int) -> Unicode.Scalar {
            position == 0 ? "<" : position == padded - 1 ? ">" : stem[position - 1]
        }
        for length in Self.characterGramLengths where padded >= length {
            for start in 0...(padded - length) {
                var hash = FeatureHash(namespace: Self.characterGramNamespace)
                for position in start..<(start + length) { hash.combine(scalar(at: position)) }
                add(hash.value, weight: gramWeight, to: output)
            }
        }
    }

    /// Feature hashing: the low bits choose the component, the top bit the sign, so collisions cancel on average.
    @inline(__always)
    private func add(_ hash: UInt64, weight: Float, to output: UnsafeMutablePointer<Float>) {
        let component = Int(hash % UInt64(dimension))
        output[component] += hash >> 63 == 0 ? weight : -weight
    }
}

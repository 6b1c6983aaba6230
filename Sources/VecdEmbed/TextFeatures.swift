import Foundation

/// The words of one text as the offline embedder sees them: stop words removed, stemmed, counted, weighted by rarity.
struct TextFeatures {
    struct Word {
        /// The stemmed word, for its character n-grams.
        var stem: [Unicode.Scalar]
        /// ``FeatureHash`` of the stem in the word namespace.
        var stemHash: UInt64
        /// ``WordRarity`` weight of the unstemmed word, raised to the recipe's exponent.
        var rarity: Float
        /// Occurrences in the text.
        var count: Int
        /// Position of the first occurrence among the kept words (0 for the first).
        var firstPosition: Int
    }

    /// Distinct stems in order of first occurrence.
    private(set) var words: [Word] = []
    /// Every kept word in text order, as an index into `words` (adjacent pairs come from this).
    private(set) var sequence: [Int] = []

    static let wordNamespace: UInt8 = 1

    init(_ text: String, rarityExponent: Float, keepStopWords: Bool = false) {
        var indexByStem: [UInt64: Int] = [:]
        WordTokenizer.forEachWord(in: text) { word in
            let wordHash = FeatureHash.word(word)
            if !keepStopWords && StopWords.contains(hash: wordHash) { return }
            let rarity = WordRarity.weight(ofWordHash: wordHash)
            SuffixStemmer.stem(&word)
            var hash = FeatureHash(namespace: Self.wordNamespace)
            for scalar in word { hash.combine(scalar) }
            let stemHash = hash.value
            if let index = indexByStem[stemHash] {
                words[index].count += 1
                sequence.append(index)
            } else {
                let weighted = rarityExponent == 1 ? rarity : Float(pow(Double(rarity), Double(rarityExponent)))
                indexByStem[stemHash] = words.count
                sequence.append(words.count)
                words.append(
                    Word(stem: word, stemHash: stemHash, rarity: weighted, count: 1, firstPosition: sequence.count - 1))
            }
        }
    }
}


import Foundation

/// Seeded synthetic text for store benchmarks: pronounceable words drawn with Zipf-like frequencies, so that full-text
/// search meets both very common words (long posting lists) and rare ones, as in real documentation.
public struct SyntheticCorpus: Sendable {
    private var state: UInt64
    private let vocabulary: [String]

    /// A corpus whose words and draws follow from `seed`; `vocabularySize` distinct words.
    public init(seed: UInt64, vocabularySize: Int = 20_000) {
        state = seed
        let onsets = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st", "tr", "pl"]
        let vowels = ["a", "e", "i", "o", "u", "ai", "ou"]
        var seen = Set<String>()
        var words: [String] = []
        var generator = state
        while words.count < vocabularySize {
            generator = generator &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            var word = ""
            // Common (low-rank) words are short, as in natural language.
            let syllables = 1 + Int(generator >> 62) + (words.count > 500 ? 1 : 0)
            var bits = generator >> 8
            for _ in 0..<syllables {
                word += onsets[Int(bits % UInt64(onsets.count))]
                bits /= UInt64(onsets.count)
                word += vowels[Int(bits % UInt64(vowels.count))]
                bits /= UInt64(vowels.count)
            }
            if seen.insert(word).inserted { words.append(word) }
        }
        vocabulary = words
    }

    private mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 11
    }

    /// The word of frequency rank `rank` (0 is the most common).
    public func word(rank: Int) -> String { vocabulary[rank % vocabulary.count] }

    /// A word drawn with probability about proportional to 1 / (rank + 1).
    public mutating func randomWord() -> String {
        let uniform = Double(next()) / Double(1 << 53)
        // Inverse of the continuous Zipf CDF over ranks 1...n: rank = n^u.
        let rank = Int(pow(Double(vocabulary.count), uniform)) - 1
        return vocabulary[min(max(rank, 0), vocabulary.count - 1)]
    }

    /// `words` random words separated by spaces.
    public mutating func sentence(words: Int) -> String {
        (0..<words).map { _ in randomWord() }.joined(separator: " ")
    }
}

/// What ``QueryGuard`` extracts from one request: negations, polarities, numbers, names, time words, content words.
struct QueryAnalysis {
    /// Number of negating words ("not", "no", "n't", "without", …).
    var negationCount = 0
    /// For each polarity axis named in the text, the signs it used (+1, −1).
    var polarities: [String: Set<Int>] = [:]
    /// Numbers with the unit that follows them ("21 degree", "6 pm", "#2" for "second", "1" for "one").
    var numbers: [String] = []
    /// Whether the text has the article "a"/"an" (it can stand for "one": "an apple" = "one apple").
    var hasIndefiniteArticle = false
    /// Names, quoted strings and identifiers, lowercased.
    var entities: Set<String> = []
    /// Time words ("today", "tomorrow", "monday").
    var timeWords: Set<String> = []
    /// Whether the text speaks of the past ("was", "did", "yesterday").
    var isPast = false
    /// Content words, synonyms reduced and stemmed.
    var contentStems: Set<String> = []
    /// All folded words in order (for compound matching: "sunset" = "sun set").
    var words: [String] = []
    /// Every folded word, for checking that the other text mentions an entity in any case.
    var wordSet: Set<String> = []
    /// The lowercased text, for checking quoted strings.
    var lowercasedText = ""

    init(_ text: String) {
        lowercasedText = text.lowercased()
        let tokens = QueryTokenizer.tokens(of: text)
        for (position, token) in tokens.enumerated() {
            let word = token.folded
            words.append(word)
            wordSet.insert(word)
            if token.isQuoted || token.isIdentifier || token.isName {
                entities.insert(word)
            }
            if QueryVocabulary.negators.contains(word) {
                negationCount += 1
                continue
            }
            if let number = token.number ?? QueryVocabulary.numberWords[word] {
                let next = position + 1 < tokens.count ? tokens[position + 1].folded : ""
                numbers.append(QueryVocabulary.units[next].map { "\(number) \($0)" } ?? number)
                continue
            }
            if QueryVocabulary.units[word] != nil, position > 0, tokens[position - 1].isNumeric {
                continue  // already attached to the number before it
            }
            if word == "a" || word == "an" { hasIndefiniteArticle = true }
            if QueryVocabulary.pastMarkers.contains(word) { isPast = true }
            if QueryVocabulary.timeWords.contains(word) {
                timeWords.insert(word)
                continue
            }
            var isAxisWord = false
            for axis in QueryVocabulary.polarityAxes {
                if axis.positive.contains(word) { polarities[axis.name, default: []].insert(1); isAxisWord = true }
                if axis.negative.contains(word) { polarities[axis.name, default: []].insert(-1); isAxisWord = true }
            }
            if isAxisWord || QueryVocabulary.fillers.contains(word) || StopWords.words.contains(word) { continue }
            contentStems.insert(Self.stem(QueryVocabulary.synonyms[word] ?? word))
        }
    }

    /// A stem that also joins derived forms ("volatility"/"volatile", "calories"/"calorie", "reminder"/"remind").
    static func stem(_ word: String) -> String {
        var scalars = Array(word.unicodeScalars)
        SuffixStemmer.stem(&scalars)
        var stem = String(String.UnicodeScalarView(scalars))
        for suffix in ["ity", "er"] where stem.count - suffix.count >= 4 && stem.hasSuffix(suffix) {
            stem.removeLast(suffix.count)
            break
        }
        while stem.count >= 5, let last = stem.last, "eiy".contains(last) { stem.removeLast() }
        return stem
    }
}

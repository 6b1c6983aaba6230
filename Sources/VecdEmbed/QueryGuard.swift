/// Decides whether two requests may be treated as the same one — the check a semantic cache and a memory
/// near-duplicate merge make after the embeddings said "similar".
///
/// Embeddings place "turn on the lights" and "turn off the lights" side by side (cosine 0.9 and more with most models),
/// so similarity alone serves the wrong cached answer. The guard refuses a pair when the two texts differ in:
/// - **negation**: "not", "no", "never", "n't", "without", … counted on each side, and `un-`/`dis-`/`de-` prefixes
///   ("lock" vs "unlock");
/// - **polarity**: opposite words on one axis (on/off, start/stop, open/close, increase/decrease, add/remove,
///   buy/sell, …); leaving an axis unsaid counts as its positive side ("play jazz" = "put jazz on");
/// - **numbers and units**: digits, number words and ordinals, with the unit that follows ("10 minutes" vs
///   "10 seconds"); "a"/"an" may stand for "one";
/// - **named entities**: capitalized words not starting a sentence, all-capital words, quoted strings and
///   identifiers, which the other text must contain too (in any case);
/// - **time and tense**: "today" vs "tomorrow", a question about the past vs one about now;
/// - **content words**: a content word replaced by a different one ("kitchen" vs "bedroom", "old" vs "tall").
///   Filler ("please", "what are the steps to") and small synonym sets ("biggest"/"largest") are ignored, a
///   compound may be split ("sunset" / "sun set"), and one added content word is allowed ("weather forecast" for
///   "weather").
///
/// It errs towards refusing: a refused paraphrase only costs a cache miss, a wrong hit serves a wrong answer.
/// English only; for other languages it still catches numbers, names and quoted strings.
public struct QueryGuard: Sendable {
    /// The cosine similarity, with ``HashingEmbedder`` vectors, above which two requests are candidates for the guard
    /// (measured on the cache-pair sets; see docs/embedder.md). A neural model needs its own, higher threshold.
    public static let hashingEmbedderThreshold: Float = 0.30

    /// How many content words one text may add to the other ("weather" vs "weather forecast").
    public var maxAddedContentWords: Int

    public init(maxAddedContentWords: Int = 1) {
        self.maxAddedContentWords = maxAddedContentWords
    }

    /// Whether `first` and `second` may be answered by one another's response.
    public func allowsMatch(_ first: String, _ second: String) -> Bool {
        difference(first, second) == nil
    }

    /// The first difference that makes `first` and `second` different requests, or `nil` when there is none.
    public func difference(_ first: String, _ second: String) -> QueryDifference? {
        let a = QueryAnalysis(first)
        let b = QueryAnalysis(second)
        if a.negationCount != b.negationCount { return .negation }
        if let axis = Self.polarityConflict(a, b) { return .polarity(axis: axis) }
        if !Self.sameNumbers(a, b) { return .number(first: a.numbers.sorted(), second: b.numbers.sorted()) }
        if let entity = Self.missingEntity(a, in: b) ?? Self.missingEntity(b, in: a) { return .entity(entity) }
        if a.timeWords != b.timeWords || a.isPast != b.isPast {
            return .time(first: a.timeWords.sorted(), second: b.timeWords.sorted())
        }
        if let prefixed = Self.negatingPrefix(a, b) { return .polarity(axis: prefixed) }
        var onlyFirst = a.contentStems.subtracting(b.contentStems)
        var onlySecond = b.contentStems.subtracting(a.contentStems)
        Self.removeCompounds(&onlyFirst, &onlySecond, a, b)
        if (!onlyFirst.isEmpty && !onlySecond.isEmpty) || onlyFirst.count + onlySecond.count > maxAddedContentWords {
            return .content(first: onlyFirst.sorted(), second: onlySecond.sorted())
        }
        return nil
    }

    private static func polarityConflict(_ a: QueryAnalysis, _ b: QueryAnalysis) -> String? {
        for axis in Set(a.polarities.keys).union(b.polarities.keys).sorted() {
            let first = a.polarities[axis] ?? []
            let second = b.polarities[axis] ?? []
            if first == second { continue }
            // Unsaid is positive: "play some jazz" and "put on jazz" agree; "lights" and "lights off" do not.
            if (first.isEmpty && second == [1]) || (second.isEmpty && first == [1]) { continue }
            return axis
        }
        return nil
    }

    private static func sameNumbers(_ a: QueryAnalysis, _ b: QueryAnalysis) -> Bool {
        if a.numbers.sorted() == b.numbers.sorted() { return true }
        // "an apple" and "one apple" ask the same; "an apple" and "two apples" do not.
        if a.numbers.isEmpty && b.numbers == ["1"] && a.hasIndefiniteArticle { return true }
        if b.numbers.isEmpty && a.numbers == ["1"] && b.hasIndefiniteArticle { return true }
        return false
    }

    private static func missingEntity(_ a: QueryAnalysis, in b: QueryAnalysis) -> String? {
        for entity in a.entities.sorted() where !b.wordSet.contains(entity) && !b.entities.contains(entity) {
            if entity.contains(" ") && b.lowercasedText.contains(entity) { continue }
            return entity
        }
        return nil
    }

    /// "lock" vs "unlock", "able" vs "disable", "activate" vs "deactivate" with no list entry for the pair.
    private static func negatingPrefix(_ a: QueryAnalysis, _ b: QueryAnalysis) -> String? {
        for (x, y) in [(a, b), (b, a)] {
            for word in x.wordSet where word.count >= 3 {
                for prefix in ["un", "dis", "de", "non"] where y.wordSet.contains(prefix + word) {
                    return "\(word)/\(prefix)\(word)"
                }
            }
        }
        return nil
    }

    /// Drops a content word of one side that is two adjacent words of the other ("sunset" / "sun set").
    private static func removeCompounds(
        _ onlyFirst: inout Set<String>, _ onlySecond: inout Set<String>, _ a: QueryAnalysis, _ b: QueryAnalysis
    ) {
        func remove(from only: inout Set<String>, other: inout Set<String>, words: [String]) {
            for (left, right) in zip(words, words.dropFirst()) {
                let joined = QueryAnalysis.stem(left + right)
                guard only.contains(joined) else { continue }
                only.remove(joined)
                other.remove(QueryAnalysis.stem(left))
                other.remove(QueryAnalysis.stem(right))
            }
        }
        remove(from: &onlyFirst, other: &onlySecond, words: b.words)
        remove(from: &onlySecond, other: &onlyFirst, words: a.words)
    }
}

/// Why ``QueryGuard`` refused to treat two requests as one.
public enum QueryDifference: Equatable, Sendable, CustomStringConvertible {
    /// One text negates ("not", "no", "n't", "never", "without") where the other does not, or more often.
    case negation
    /// Opposite words on one axis ("on/off", "open/close", "lock/unlock", …).
    case polarity(axis: String)
    /// Different numbers or units.
    case number(first: [String], second: [String])
    /// A name, quoted string or identifier that only one text mentions.
    case entity(String)
    /// Different time words, or past against present.
    case time(first: [String], second: [String])
    /// Content words that differ beyond fillers, synonyms and one added word.
    case content(first: [String], second: [String])

    public var description: String {
        switch self {
        case .negation: return "one request is negated and the other is not"
        case .polarity(let axis): return "the requests are opposite on \(axis)"
        case .number(let first, let second): return "numbers differ: \(first) vs \(second)"
        case .entity(let name): return "only one request names \"\(name)\""
        case .time(let first, let second): return "time differs: \(first) vs \(second)"
        case .content(let first, let second): return "content words differ: \(first) vs \(second)"
        }
    }
}

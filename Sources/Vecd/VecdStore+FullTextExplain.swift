import VecdSQLite

/// How ``VecdStore/fullTextSearch(_:in:filter:k:)`` turns one query text into FTS5 matches, as it would run now.
public struct FullTextQueryExplanation: Sendable, Equatable {
    /// The query's distinct lowercased words, in order (at most 64).
    public var words: [String]
    /// The FTS5 match over every word (each quoted, joined by OR); nil when the text has no word.
    public var fullMatch: String?
    /// The match ranked first when some words occur in more than half of the chunks and are left out; nil when no
    /// word was left out, or when every word was.
    public var rankedMatch: String?
    /// The words left out of the ranked match because they occur in more than half of the chunks.
    public var droppedWords: [String]
}

extension VecdStore {
    /// What ``fullTextSearch(_:in:filter:k:)`` would send to FTS5 for `text` over the store's chunks: the same
    /// parsing and common-word plan, without running the search. For tools that report how a query was read.
    public func explainFullTextQuery(_ text: String) throws(VecdError) -> FullTextQueryExplanation {
        try checkText(text, limit: configuration.maxTextByteCount, what: "query")
        let words = FullTextQuery.words(text)
        return try read { state in
            guard
                let plan = try FullTextQuery.plan(
                    text, over: .chunks, connection: state.connection,
                    dropsCommonWords: state.configuration.fullTextDropsCommonWords)
            else { return FullTextQueryExplanation(words: [], fullMatch: nil, rankedMatch: nil, droppedWords: []) }
            switch plan.shape {
            case .plain:
                return FullTextQueryExplanation(words: words, fullMatch: plan.full, rankedMatch: nil, droppedWords: [])
            case .commonOnly:
                return FullTextQueryExplanation(
                    words: words, fullMatch: plan.full, rankedMatch: nil, droppedWords: words)
            case .narrowed(let narrow):
                let kept = Set(FullTextQuery.words(narrow))
                return FullTextQueryExplanation(
                    words: words, fullMatch: plan.full, rankedMatch: narrow,
                    droppedWords: words.filter { !kept.contains($0) })
            }
        }
    }
}

import VecdSQLite

/// The FTS5 query of a full-text search: the text's words, each quoted (user text never becomes query syntax),
/// joined by OR, without the words that could not change the ranking.
enum FullTextQuery {
    /// Words kept from one query text.
    static let maxWords = 64

    /// The distinct lowercased words of `text`, in order, at most ``maxWords``.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var seen = Set<String>()
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        where seen.insert(String(word)).inserted {
            words.append(String(word))
            if words.count == maxWords { break }
        }
        return words
    }

    /// `words` quoted and joined by OR; nil when there are none.
    static func match(_ words: [String]) -> String? {
        words.isEmpty ? nil : words.map { "\"\($0)\"" }.joined(separator: " OR ")
    }

    /// The FTS5 matches to try for one query text over `chunk_fts`, narrowest first.
    struct ChunkPlan {
        /// Every word of the text.
        var full: String
        /// The text without the words found in more than half the chunks; nil when no word was dropped.
        var narrow: String?
    }

    /// The plan for `text`: its full match, and a narrower one without words found in more than half of the rows.
    ///
    /// Why: FTS5's bm25 gives such a word an IDF of 10⁻⁶ (the formula `ln((N − n + 0.5) / (n + 0.5))` turns
    /// negative past half and is clamped), so it cannot change the order of rows that match anything else, yet
    /// ranking visits every row it matches — "the" or "section" made a search score every chunk of the store.
    /// The narrow match ranks the same rows first; the caller falls back to the full match when the narrow one
    /// finds fewer than k rows, so a row matching only common words is still returned when nothing better fills k.
    /// Each word's count is probed with a walk that stops at half the rows.
    static func chunkPlan(_ text: String, connection: Connection, dropsCommonWords: Bool = true) throws -> ChunkPlan? {
        let words = words(text)
        guard let full = match(words) else { return nil }
        guard words.count > 1, dropsCommonWords else { return ChunkPlan(full: full) }
        // max(id) is at least the row count, so the cut-off never drops a word bm25 still weighs.
        let rowCount = try connection.scalarInt("SELECT max(id) FROM chunks") ?? 0
        let half = rowCount / 2
        var informative: [String] = []
        for word in words {
            let matched =
                try connection.scalarInt(
                    "SELECT count(*) FROM (SELECT 1 FROM chunk_fts WHERE chunk_fts MATCH ? LIMIT ?)",
                    ["\"\(word)\"", half + 1]) ?? 0
            if matched <= half { informative.append(word) }
        }
        guard !informative.isEmpty, informative.count < words.count else { return ChunkPlan(full: full) }
        return ChunkPlan(full: full, narrow: match(informative))
    }
}

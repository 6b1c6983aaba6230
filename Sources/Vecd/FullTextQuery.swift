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

    /// An FTS5 table searched by text, with a cheap upper bound of its row count.
    struct Table: Sendable {
        /// The FTS5 table's name.
        var name: String
        /// SQL giving at least the number of rows in the table: the largest rowid of its content table (an index
        /// lookup, where `count(*)` would walk every row).
        var rowCountBound: String

        /// Document chunks (`chunk_fts`, rowid = `chunks.id`).
        static let chunks = Table(name: "chunk_fts", rowCountBound: "SELECT max(id) FROM chunks")
        /// Memories (`memory_fts`, rowid = `memories.seq`).
        static let memories = Table(name: "memory_fts", rowCountBound: "SELECT max(seq) FROM memories")
    }

    /// The FTS5 matches to try for one query text, narrowest first.
    struct Plan {
        /// Every word of the text.
        var full: String
        /// The text without the words found in more than half the rows; nil when no word was dropped.
        var narrow: String?

        /// The narrow match's hits when they fill `k`, else the full match's: a row matching only common words is
        /// still returned when nothing better fills k.
        func hits<Hit>(k: Int, _ ranked: (String) throws -> [Hit]) rethrows -> [Hit] {
            if let narrow {
                let hits = try ranked(narrow)
                if hits.count == k { return hits }
            }
            return try ranked(full)
        }
    }

    /// The plan for `text` over `table`: its full match, and a narrower one without words found in more than half
    /// of the rows.
    ///
    /// Why: FTS5's bm25 gives such a word an IDF of 10⁻⁶ (the formula `ln((N − n + 0.5) / (n + 0.5))` turns
    /// negative past half and is clamped), so it cannot change the order of rows that match anything else, yet
    /// ranking visits every row it matches — "the" or "section" made a search score every chunk of the store.
    /// The narrow match ranks the same rows first; ``Plan/hits(k:_:)`` falls back to the full match when the narrow
    /// one finds fewer than k rows. Each word's count is probed with a walk that stops at half the rows.
    static func plan(
        _ text: String, over table: Table, connection: Connection, dropsCommonWords: Bool = true
    ) throws -> Plan? {
        let words = words(text)
        guard let full = match(words) else { return nil }
        guard words.count > 1, dropsCommonWords else { return Plan(full: full) }
        // At least the row count, so the cut-off never drops a word bm25 still weighs.
        let rowCount = try connection.scalarInt(table.rowCountBound) ?? 0
        let half = rowCount / 2
        var informative: [String] = []
        for word in words {
            let matched =
                try connection.scalarInt(
                    "SELECT count(*) FROM (SELECT 1 FROM \(table.name) WHERE \(table.name) MATCH ? LIMIT ?)",
                    ["\"\(word)\"", half + 1]) ?? 0
            if matched <= half { informative.append(word) }
        }
        guard !informative.isEmpty, informative.count < words.count else { return Plan(full: full) }
        return Plan(full: full, narrow: match(informative))
    }
}

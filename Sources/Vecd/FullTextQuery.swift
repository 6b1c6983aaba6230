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
        /// Which words are left out of the ranked match.
        var shape: Shape

        enum Shape: Equatable {
            /// No word was common: bm25 over every word.
            case plain
            /// The match without the common words, ranked first.
            case narrowed(String)
            /// Every word was common: no row can score above ~0.
            case commonOnly
        }

        /// The `k` best rows. A row matching only common words scores ~0 under bm25, so such rows fill what the
        /// ranked match leaves of `k` without ranking all of them — scoring every row a common word matches is
        /// what the plan exists to avoid ("section" in every chunk made one query score the whole store). The fill
        /// takes the first rows the full match finds (FTS5 walks rowid order) and ranks those among themselves.
        ///
        /// `search(match, ranked, limit)` runs one query: `ranked` orders every match by bm25 before `limit`;
        /// otherwise it takes the first `limit` matches as FTS5 finds them (no ORDER BY: SQLite then sorts every
        /// match even when the unordered query is a subquery with its own LIMIT). `id` tells rows apart; `score`
        /// (higher is better) orders the fill.
        func hits<Hit, ID: Hashable>(
            k: Int, id: (Hit) -> ID, score: (Hit) -> Double,
            _ search: (_ match: String, _ ranked: Bool, _ limit: Int) throws -> [Hit]
        ) rethrows -> [Hit] {
            var hits: [Hit]
            switch shape {
            case .plain: return try search(full, true, k)
            case .narrowed(let narrow): hits = try search(narrow, true, k)
            case .commonOnly: hits = []
            }
            if hits.count >= k { return hits }
            let seen = Set(hits.map(id))
            let fill = try search(full, false, k + hits.count).filter { !seen.contains(id($0)) }
                .sorted { score($0) > score($1) }
            return hits + fill.prefix(k - hits.count)
        }
    }

    /// The plan for `text` over `table`: its full match, and a narrower one without words found in more than half
    /// of the rows (also for a one-word query: a word in every row is not worth ranking every row for).
    ///
    /// Why: FTS5's bm25 gives such a word an IDF of 10⁻⁶ (the formula `ln((N − n + 0.5) / (n + 0.5))` turns
    /// negative past half and is clamped), so it cannot change the order of rows that match anything else, yet
    /// ranking visits every row it matches — "the" or "section" made a search score every chunk of the store.
    /// The narrow match ranks the same rows first; ``Plan/hits(k:id:_:)`` fills from the full match when the narrow
    /// one finds fewer than k rows. Each word's count is probed with a walk that stops at half the rows.
    static func plan(
        _ text: String, over table: Table, connection: Connection, dropsCommonWords: Bool = true
    ) throws -> Plan? {
        let words = words(text)
        guard let full = match(words) else { return nil }
        guard dropsCommonWords else { return Plan(full: full, shape: .plain) }
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
        if informative.count == words.count { return Plan(full: full, shape: .plain) }
        guard let narrow = match(informative) else { return Plan(full: full, shape: .commonOnly) }
        return Plan(full: full, shape: .narrowed(narrow))
    }
}

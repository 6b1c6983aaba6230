import Foundation

/// Texts and ground truth for `vecd bench retrieval`: passages (one per line of `base.txt`), queries (one per line of
/// `queries.txt`) and, per query, the ids of its true nearest passages (rows of `gt.ivecs`, ids = passage row).
public struct RetrievalData: Sendable {
    public var passages: [String]
    public var queries: [String]
    /// For each query, the true top passages, best first (at least as many as the benchmark's `k`).
    public var truth: [[Int]]

    /// The data, checked: one truth row per query, at least `k` ids in each, every id a passage row, no empty text.
    public init(passages: [String], queries: [String], truth: [[Int]], k: Int) throws(RetrievalDataError) {
        if let row = passages.firstIndex(where: Self.isBlank) { throw .emptyText(file: "base.txt", line: row + 1) }
        if let row = queries.firstIndex(where: Self.isBlank) { throw .emptyText(file: "queries.txt", line: row + 1) }
        guard truth.count == queries.count else {
            throw .shape("gt.ivecs has \(truth.count) rows but queries.txt has \(queries.count) lines")
        }
        for (query, ids) in truth.enumerated() {
            guard ids.count >= k else {
                throw .shape("gt.ivecs row \(query) has \(ids.count) ids, fewer than k = \(k)")
            }
            if let bad = ids.first(where: { !(0..<passages.count).contains($0) }) {
                throw .shape("gt.ivecs row \(query) names passage \(bad); base.txt has \(passages.count) lines")
            }
        }
        self.passages = passages
        self.queries = queries
        self.truth = truth
    }

    /// The same data with only the first `count` queries (all of them when there are fewer).
    public func firstQueries(_ count: Int) -> RetrievalData {
        var copy = self
        copy.queries = Array(queries.prefix(count))
        copy.truth = Array(truth.prefix(count))
        return copy
    }

    /// Reads `base.txt`, `queries.txt` and `gt.ivecs` from `directory` (the layout of debian-384).
    public static func load(directory: URL, k: Int) throws -> RetrievalData {
        let passages = try lines(directory.appendingPathComponent("base.txt"))
        let queries = try lines(directory.appendingPathComponent("queries.txt"))
        let truth = try VectorFile.readInts(directory.appendingPathComponent("gt.ivecs").path)
        return try RetrievalData(
            passages: passages, queries: queries,
            truth: (0..<truth.rows).map { truth.row($0).map { Int($0) } }, k: k)
    }

    /// The lines of a UTF-8 text file; a final newline does not make an extra (empty) line.
    static func lines(_ url: URL) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw RetrievalDataError.unreadable(path: url.path)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw RetrievalDataError.notUTF8(path: url.path) }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    private static func isBlank(_ text: String) -> Bool {
        text.allSatisfy(\.isWhitespace)
    }
}

/// Why `vecd bench retrieval` could not use a data directory.
public enum RetrievalDataError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String)
    case notUTF8(path: String)
    /// A blank line: it would become a document without a chunk, and every row must map to exactly one chunk.
    case emptyText(file: String, line: Int)
    case shape(String)

    public var description: String {
        switch self {
        case .unreadable(let path): "\(path) cannot be read (missing or not a file)"
        case .notUTF8(let path): "\(path) is not UTF-8 text"
        case .emptyText(let file, let line): "\(file) line \(line) is blank; every line must hold a text"
        case .shape(let detail): detail
        }
    }
}

/// How documents are cut into chunks: `size` and `overlap` count Unicode scalars (Python string positions).
public struct ChunkingOptions: Sendable, Equatable {
    /// Longest chunk.
    public var size: Int
    /// Scalars shared by consecutive chunks, so a sentence cut at a boundary is whole in one of them.
    public var overlap: Int

    public static let sizeRange = 16...100_000

    public init(size: Int = 1_000, overlap: Int = 200) {
        self.size = size
        self.overlap = overlap
    }

    /// The whole document as one chunk (seed 001 embeds each document once).
    public static let wholeDocument = ChunkingOptions(size: sizeRange.upperBound, overlap: 0)

    func validate() throws(VecdError) {
        guard Self.sizeRange.contains(size) else {
            throw VecdError(.invalidArgument, "chunk size must be in 16...100000, got \(size)")
        }
        guard overlap >= 0, overlap < size / 2 + 1 else {
            throw VecdError(.invalidArgument, "chunk overlap must be in 0...\(size / 2), got \(overlap)")
        }
    }
}

/// One piece of a document: its text and where it sits in the document (scalar offsets, end exclusive).
struct TextPiece: Equatable {
    var content: String
    var start: Int
    var end: Int
}

/// Cuts text into chunks of at most `size` scalars, preferring to end at a paragraph, sentence or word boundary in
/// the last half of the window, and starting each chunk `overlap` scalars before the previous one ended.
enum TextChunker {
    static func chunks(_ text: String, options: ChunkingOptions) -> [TextPiece] {
        let scalars = Array(text.unicodeScalars)
        var pieces: [TextPiece] = []
        var start = 0
        while start < scalars.count {
            var end = min(start + options.size, scalars.count)
            if end < scalars.count { end = boundary(in: scalars, from: start, to: end) }
            if let piece = trimmed(scalars, start, end) { pieces.append(piece) }
            guard end < scalars.count else { break }
            start = max(end - options.overlap, start + 1)
            // Start the overlap on a word boundary rather than mid-word.
            let limit = end
            while start < limit, start > 0, !isSpace(scalars[start - 1]) { start += 1 }
        }
        return pieces
    }

    /// The best place to end a chunk in `start..<end`: after a blank line, a sentence end, or a space, searched in
    /// the window's second half so chunks do not become tiny.
    private static func boundary(in scalars: [Unicode.Scalar], from start: Int, to end: Int) -> Int {
        let floor = start + (end - start) / 2
        for position in stride(from: end, to: floor, by: -1)
        where scalars[position - 1] == "\n" && position >= 2 && scalars[position - 2] == "\n" {
            return position
        }
        for position in stride(from: end, to: floor, by: -1)
        where isSpace(scalars[position - 1]) && position >= 2 && ".!?".unicodeScalars.contains(scalars[position - 2]) {
            return position
        }
        for position in stride(from: end, to: floor, by: -1) where isSpace(scalars[position - 1]) {
            return position
        }
        return end
    }

    private static func trimmed(_ scalars: [Unicode.Scalar], _ start: Int, _ end: Int) -> TextPiece? {
        var low = start
        var high = end
        while low < high, isSpace(scalars[low]) { low += 1 }
        while high > low, isSpace(scalars[high - 1]) { high -= 1 }
        guard low < high else { return nil }
        var content = String.UnicodeScalarView()
        content.append(contentsOf: scalars[low..<high])
        return TextPiece(content: String(content), start: low, end: high)
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace }
}

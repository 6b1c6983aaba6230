/// Turns texts into vectors of a fixed dimension.
///
/// Every vecd collection records the `modelID` and `dimension` of the embedder that filled it, so vectors from
/// different models never meet in one index. Implementations return one vector per input text, in input order, and
/// throw ``EmbedderError`` rather than return a vector of the wrong length.
public protocol Embedder: Sendable {
    /// The length of every vector `embed` returns.
    var dimension: Int { get }
    /// A stable name of the model and its settings, stored next to the vectors it produced
    /// (for example `"vecd-hashing-v1-512"` or `"ollama:nomic-embed-text"`).
    var modelID: String { get }
    /// Embeds `texts`, returning `texts.count` vectors of `dimension` components each, in the same order.
    func embed(_ texts: [String]) async throws -> [[Float]]
}

extension Embedder {
    /// Embeds one text.
    public func embed(_ text: String) async throws -> [Float] {
        let vectors = try await embed([text])
        guard let vector = vectors.first, vectors.count == 1 else {
            throw EmbedderError.countMismatch(model: modelID, expected: 1, got: vectors.count)
        }
        return vector
    }
}

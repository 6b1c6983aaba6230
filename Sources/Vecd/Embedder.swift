/// Turns text into vectors. The store embeds documents, memories, knowledge items and cache queries with the
/// embedder it was opened with; every API that needs a vector also takes a raw one instead.
///
/// Implementations: the offline embedder and the HTTP providers in `VecdEmbed`, or the caller's own.
public protocol Embedder: Sendable {
    /// Components per vector; every vector `embed` returns must have exactly this many.
    var dimension: Int { get }
    /// Identifies the model, so vectors from different models never share a collection or a cache entry.
    var modelID: String { get }
    /// One vector per text, in order.
    func embed(_ texts: [String]) async throws -> [[Float]]
}

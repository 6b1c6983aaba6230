/// How two vectors are compared. Smaller distances are always closer.
///
/// The definitions follow pgvector's operators so that recall comparisons measure the index, not the arithmetic:
/// - ``cosine``: `1 - a·b / (|a| |b|)`, pgvector's `<=>`, in `[0, 2]`. A zero vector has no direction; vecd defines
///   its cosine distance to anything as `1` (similarity 0), where pgvector returns NaN and leaves it out of its index.
/// - ``dot``: `-(a·b)`, pgvector's `<#>` (negative inner product).
/// - ``l2``: the Euclidean distance `|a - b|`, pgvector's `<->`. Indexes rank by the squared distance internally
///   and report the square root.
public enum DistanceMetric: String, Sendable, CaseIterable, Codable {
    case cosine
    case dot
    case l2
}

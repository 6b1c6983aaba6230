/// The element type the graph walk reads.
///
/// Float32 vectors are always kept for building the graph and for the exact re-rank; in ``float16`` and ``int8``
/// mode the walk reads a compact copy and the final candidates are re-ranked with Float32, so recall stays close to
/// ``float32`` while the hot working set shrinks to a half or a quarter.
public enum VectorStorageMode: String, Sendable, CaseIterable, Codable {
    case float32 = "f32"
    case float16 = "f16"
    case int8 = "int8"

    /// Bytes one component occupies in the walk's copy.
    public var bytesPerComponent: Int {
        switch self {
        case .float32: return 4
        case .float16: return 2
        case .int8: return 1
        }
    }
}

public import VecdKernels

/// A request the index refused; nothing was changed.
public enum IndexError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A vector with the wrong length or a non-finite component.
    case invalidVector(VectorValidationError)
    /// A parameter outside its documented range.
    case parameterOutOfRange(name: String, value: Int, range: ClosedRange<Int>)
    /// `efConstruction` must be at least `2·m` (as in pgvector), or the candidate list cannot fill a ground-layer list.
    case efConstructionBelowTwiceM(efConstruction: Int, m: Int)
    /// A slot that was never assigned.
    case unknownSlot(Slot)
    /// The index would exceed `Slot`'s range.
    case capacityExceeded(limit: Int)
    /// The index serves an immutable segment; new vectors go to a mutable index.
    case readOnly
    /// A mapped image whose sizes or links do not fit together (a damaged or mismatched segment).
    case invalidImage(String)

    public var description: String {
        switch self {
        case .invalidVector(let error): return error.description
        case .parameterOutOfRange(let name, let value, let range):
            return "\(name) must be in \(range.lowerBound)...\(range.upperBound), got \(value)"
        case .efConstructionBelowTwiceM(let ef, let m):
            return "efConstruction (\(ef)) must be at least 2·m (\(2 * m))"
        case .unknownSlot(let slot): return "slot \(slot) does not exist"
        case .capacityExceeded(let limit): return "an index holds at most \(limit) vectors"
        case .readOnly: return "the index serves an immutable segment and cannot take new vectors"
        case .invalidImage(let detail): return "the index image is inconsistent: \(detail)"
        }
    }
}

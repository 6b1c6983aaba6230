/// Why a vector was refused before it reached an index.
public enum VectorValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The vector has `got` components where `expected` were required.
    case dimensionMismatch(expected: Int, got: Int)
    /// Component `index` is NaN or infinite; such a vector would make every distance to it NaN.
    case nonFiniteComponent(index: Int)

    public var description: String {
        switch self {
        case .dimensionMismatch(let expected, let got):
            return "expected a vector of \(expected) dimensions, got \(got)"
        case .nonFiniteComponent(let index):
            return "vector component \(index) is NaN or infinite; only finite values can be stored or searched"
        }
    }
}

/// Checks that `vector` has `dimension` finite components.
///
/// vecd refuses NaN and infinity at its boundary instead of letting a NaN distance scramble an index's order.
public func validateVector(_ vector: UnsafeBufferPointer<Float>, dimension: Int) throws(VectorValidationError) {
    guard vector.count == dimension else {
        throw .dimensionMismatch(expected: dimension, got: vector.count)
    }
    for i in 0..<vector.count where !vector[i].isFinite {
        throw .nonFiniteComponent(index: i)
    }
}

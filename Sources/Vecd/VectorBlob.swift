import Foundation
import VecdKernels

/// Vectors as SQLite stores them: little-endian Float32, `dimension × 4` bytes.
enum VectorBlob {
    static func encode(_ vector: [Float]) -> Data {
        var data = Data(count: vector.count * 4)
        data.withUnsafeMutableBytes { bytes in
            for (index, value) in vector.enumerated() {
                bytes.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: index * 4, as: UInt32.self)
            }
        }
        return data
    }

    /// Appends the floats in `bytes` to `output`; nil when the byte count is not a multiple of 4.
    static func decode(_ bytes: UnsafeRawBufferPointer, into output: inout [Float]) -> Bool {
        guard bytes.count % 4 == 0 else { return false }
        for offset in stride(from: 0, to: bytes.count, by: 4) {
            let bits = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            output.append(Float(bitPattern: bits))
        }
        return true
    }
}

/// Checks a vector before anything is written, so that a bad one stores nothing.
func checkVector(_ vector: [Float], dimension: Int, what: String) throws(VecdError) {
    do {
        try vector.withUnsafeBufferPointer { (buffer) throws(VectorValidationError) in
            try validateVector(buffer, dimension: dimension)
        }
    } catch {
        switch error {
        case .dimensionMismatch(let expected, let got):
            throw VecdError(.dimensionMismatch, "\(what): expected a vector of \(expected) dimensions, got \(got)")
        case .nonFiniteComponent(let index):
            throw VecdError(.invalidVector, "\(what): component \(index) is NaN or infinite")
        }
    }
}

public import VecdIndex
public import VecdKernels

/// The one-byte codes the file formats use for enums, kept in one place so that every format agrees.
extension DistanceMetric {
    /// 0 cosine, 1 dot, 2 l2 (`formats/segment.md`, `formats/manifest.md`).
    public var formatCode: UInt8 {
        switch self {
        case .cosine: return 0
        case .dot: return 1
        case .l2: return 2
        }
    }

    /// The metric of a format code, or nil for a code this version does not know.
    public init?(formatCode: UInt8) {
        switch formatCode {
        case 0: self = .cosine
        case 1: self = .dot
        case 2: self = .l2
        default: return nil
        }
    }
}

extension VectorStorageMode {
    /// 0 Float32 only, 1 plus a Float16 copy, 2 plus an Int8 copy (`formats/segment.md`).
    public var formatCode: UInt8 {
        switch self {
        case .float32: return 0
        case .float16: return 1
        case .int8: return 2
        }
    }

    /// The mode of a format code, or nil for a code this version does not know.
    public init?(formatCode: UInt8) {
        switch formatCode {
        case 0: self = .float32
        case 1: self = .float16
        case 2: self = .int8
        default: return nil
        }
    }
}

/// Checks that `name` is a plain file name inside the data directory (no `/`, not `.` or `..`, 1–255 bytes), so a
/// damaged or hostile manifest cannot point outside it.
func validateFileName(_ name: String, path: String, offset: Int?) throws(StorageError) {
    let bytes = name.utf8.count
    guard bytes > 0, bytes <= 255, !name.contains("/"), name != ".", name != "..", !name.contains("\0") else {
        throw StorageError(code: .corrupt, path: path, offset: offset, detail: "invalid file name \"\(name)\"")
    }
}

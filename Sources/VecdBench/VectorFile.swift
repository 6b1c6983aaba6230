import Foundation

/// A row-major matrix of vectors read from a file: `rows × dimension` values.
public struct VectorMatrix<Element: Sendable>: Sendable {
    public var rows: Int
    public var dimension: Int
    public var values: [Element]

    public init(rows: Int, dimension: Int, values: [Element]) {
        precondition(values.count == rows * dimension)
        self.rows = rows
        self.dimension = dimension
        self.values = values
    }

    /// Row `index` as a slice of ``values``.
    public func row(_ index: Int) -> ArraySlice<Element> {
        values[(index * dimension)..<((index + 1) * dimension)]
    }
}

/// Why a vector file could not be read.
public struct VectorFileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var detail: String
    public var description: String { "\(path): \(detail)" }
}

/// Readers for the TEXMEX formats (`.fvecs`, `.ivecs`: each row is a little-endian Int32 dimension followed by that
/// many 4-byte values) and NumPy `.npy` (version 1–3, little-endian `<f4` or `<i4`, C order, 2-D).
public enum VectorFile {
    /// Reads Float32 vectors from `.fvecs` or `.npy`, chosen by the file extension.
    public static func readFloats(_ path: String) throws -> VectorMatrix<Float> {
        path.hasSuffix(".npy") ? try readNumpy(path, typeCode: "<f4") : try readTexmex(path)
    }

    /// Reads Int32 vectors (ground-truth ids) from `.ivecs` or `.npy`.
    public static func readInts(_ path: String) throws -> VectorMatrix<Int32> {
        path.hasSuffix(".npy") ? try readNumpy(path, typeCode: "<i4") : try readTexmex(path)
    }

    static func load(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VectorFileError(path: path, detail: "cannot be read (missing or not a file)")
        }
        return data
    }

    static func readTexmex<T: Sendable>(_ path: String) throws -> VectorMatrix<T> {
        let data = try load(path)
        return try data.withUnsafeBytes { (raw) throws -> VectorMatrix<T> in
            guard raw.count >= 4 else { throw VectorFileError(path: path, detail: "shorter than one row header") }
            let dimension = Int(Int32(littleEndian: raw.loadUnaligned(as: Int32.self)))
            guard dimension > 0 else { throw VectorFileError(path: path, detail: "dimension \(dimension) in first row") }
            let rowBytes = 4 + dimension * 4
            guard raw.count % rowBytes == 0 else {
                throw VectorFileError(path: path, detail: "size \(raw.count) is not a multiple of the row size \(rowBytes)")
            }
            let rows = raw.count / rowBytes
            var values = [T]()
            values.reserveCapacity(rows * dimension)
            for row in 0..<rows {
                let offset = row * rowBytes
                let rowDimension = Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
                guard rowDimension == dimension else {
                    throw VectorFileError(path: path, detail: "row \(row) has dimension \(rowDimension), expected \(dimension)")
                }
                for i in 0..<dimension {
                    values.append(raw.loadUnaligned(fromByteOffset: offset + 4 + i * 4, as: T.self))
                }
            }
            return VectorMatrix(rows: rows, dimension: dimension, values: values)
        }
    }

    static func readNumpy<T: Sendable>(_ path: String, typeCode: String) throws -> VectorMatrix<T> {
        let data = try load(path)
        return try data.withUnsafeBytes { (raw) throws -> VectorMatrix<T> in
            guard raw.count >= 10, raw[0] == 0x93, String(decoding: raw[1..<6], as: UTF8.self) == "NUMPY" else {
                throw VectorFileError(path: path, detail: "not a .npy file (bad magic)")
            }
            let major = raw[6]
            let headerLength: Int
            let headerStart: Int
            if major == 1 {
                headerLength = Int(raw[8]) | Int(raw[9]) << 8
                headerStart = 10
            } else if major == 2 || major == 3 {
                guard raw.count >= 12 else { throw VectorFileError(path: path, detail: "truncated header") }
                headerLength = Int(raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian)
                headerStart = 12
            } else {
                throw VectorFileError(path: path, detail: "unsupported .npy version \(major)")
            }
            guard headerStart + headerLength <= raw.count else {
                throw VectorFileError(path: path, detail: "truncated header")
            }
            let header = String(decoding: raw[headerStart..<(headerStart + headerLength)], as: UTF8.self)
            guard header.contains("'\(typeCode)'") else {
                throw VectorFileError(path: path, detail: "expected dtype \(typeCode), header is \(header)")
            }
            guard header.contains("'fortran_order': False") else {
                throw VectorFileError(path: path, detail: "Fortran-ordered arrays are not supported")
            }
            guard let open = header.firstIndex(of: "("), let close = header.firstIndex(of: ")") else {
                throw VectorFileError(path: path, detail: "no shape in header")
            }
            let shape = header[header.index(after: open)..<close].split(separator: ",")
                .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard shape.count == 2 else { throw VectorFileError(path: path, detail: "expected a 2-D array") }
            let start = headerStart + headerLength
            guard raw.count - start == shape[0] * shape[1] * 4 else {
                throw VectorFileError(path: path, detail: "data size does not match shape \(shape)")
            }
            var values = [T]()
            values.reserveCapacity(shape[0] * shape[1])
            for i in 0..<(shape[0] * shape[1]) {
                values.append(raw.loadUnaligned(fromByteOffset: start + i * 4, as: T.self))
            }
            return VectorMatrix(rows: shape[0], dimension: shape[1], values: values)
        }
    }

    /// Writes `matrix` as `.fvecs` (used by tests and by data generators).
    public static func writeFvecs(_ matrix: VectorMatrix<Float>, to path: String) throws {
        try writeTexmex(matrix, to: path)
    }

    /// Writes `matrix` as `.ivecs`.
    public static func writeIvecs(_ matrix: VectorMatrix<Int32>, to path: String) throws {
        try writeTexmex(matrix, to: path)
    }

    /// Each row as a little-endian Int32 dimension followed by its 4-byte values.
    static func writeTexmex<T>(_ matrix: VectorMatrix<T>, to path: String) throws {
        precondition(MemoryLayout<T>.size == 4, "TEXMEX rows hold 4-byte values")
        var data = Data(capacity: matrix.rows * (4 + matrix.dimension * 4))
        for row in 0..<matrix.rows {
            withUnsafeBytes(of: Int32(matrix.dimension).littleEndian) { data.append(contentsOf: $0) }
            matrix.row(row).withUnsafeBytes { data.append(contentsOf: $0) }
        }
        try data.write(to: URL(fileURLWithPath: path))
    }
}

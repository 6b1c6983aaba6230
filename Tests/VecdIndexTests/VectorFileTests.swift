import Foundation
import Testing
import VecdBench

@Suite("Vector file readers")
struct VectorFileTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vecd-vf-\(UUID().uuidString)-\(name)").path
    }

    @Test(".fvecs and .ivecs round-trip exactly")
    func texmexRoundTrip() throws {
        let floats = VectorMatrix<Float>(rows: 3, dimension: 2, values: [1, -2, 0.5, .leastNonzeroMagnitude, 3e38, 0])
        let ints = VectorMatrix<Int32>(rows: 2, dimension: 3, values: [1, 2, 3, -4, 5, Int32.max])
        let fpath = temporaryPath("a.fvecs"), ipath = temporaryPath("a.ivecs")
        defer { try? FileManager.default.removeItem(atPath: fpath); try? FileManager.default.removeItem(atPath: ipath) }
        try VectorFile.writeFvecs(floats, to: fpath)
        try VectorFile.writeIvecs(ints, to: ipath)
        #expect(try VectorFile.readFloats(fpath).values == floats.values)
        #expect(try VectorFile.readInts(ipath).values == ints.values)
    }

    /// A version-1 .npy file as NumPy writes it: magic, version, header length, a padded dict, then the data.
    func npy(descr: String, shape: (Int, Int), payload: [UInt8], fortran: Bool = false) -> Data {
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': (\(shape.0), \(shape.1)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        data.append(UInt8(header.utf8.count & 0xFF))
        data.append(UInt8(header.utf8.count >> 8))
        data.append(contentsOf: Array(header.utf8))
        data.append(contentsOf: payload)
        return data
    }

    @Test(".npy float32 and int32 matrices are read; other layouts are refused with the reason")
    func numpy() throws {
        let values: [Float] = [1, 2, 3, 4, 5, 6]
        let path = temporaryPath("a.npy")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try npy(descr: "<f4", shape: (2, 3), payload: values.withUnsafeBytes { Array($0) }).write(to: URL(fileURLWithPath: path))
        let matrix = try VectorFile.readFloats(path)
        #expect(matrix.rows == 2 && matrix.dimension == 3 && matrix.values == values)
        let ids: [Int32] = [7, 8]
        try npy(descr: "<i4", shape: (1, 2), payload: ids.withUnsafeBytes { Array($0) }).write(to: URL(fileURLWithPath: path))
        #expect(try VectorFile.readInts(path).values == ids)
        try npy(descr: "<f8", shape: (1, 1), payload: [UInt8](repeating: 0, count: 8)).write(to: URL(fileURLWithPath: path))
        #expect(throws: VectorFileError.self) { _ = try VectorFile.readFloats(path) }
        try npy(descr: "<f4", shape: (2, 3), payload: [UInt8](repeating: 0, count: 20)).write(to: URL(fileURLWithPath: path))
        #expect(throws: VectorFileError.self) { _ = try VectorFile.readFloats(path) }
        try npy(descr: "<f4", shape: (1, 1), payload: [0, 0, 0, 0], fortran: true).write(to: URL(fileURLWithPath: path))
        #expect(throws: VectorFileError.self) { _ = try VectorFile.readFloats(path) }
    }
}

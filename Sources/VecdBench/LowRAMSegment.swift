public import VecdIndex
import VecdKernels
import VecdStorage

/// Writes one graph as segments of several storage modes, so that f32, f16 and int8 are compared on the same graph
/// (only the walk's element type differs) and a 1M-row set is built once instead of once per mode.
public enum LowRAMSegment {
    /// Rows the Int8 ranges are learned from, as an index in int8 mode learns them (its first 1,000 rows).
    static let quantizerTrainingRows = 1000

    /// Writes `index` to `path` as a segment whose walk reads `storage`. The index must be Float32 or already of
    /// that mode; compact codes are derived from its Float32 rows.
    public static func write(_ index: HNSWIndex, storage: VectorStorageMode, to path: String) throws {
        // Outside withImage: writing the index as it is takes the index's read lock itself.
        if index.parameters.storage == storage {
            return try index.withImage { (image) throws(StorageError) in try write(image, to: path) }
        }
        try index.withImage { image in
            guard image.parameters.storage == .float32 else {
                throw StorageError(
                    code: .invalidArgument, path: path,
                    detail: "a \(image.parameters.storage) graph cannot be written as \(storage); build it in f32")
            }
            let rows = image.rowCount
            let dimension = image.parameters.dimension
            let floats = image.vectors.bindMemory(to: Float.self)
            var quantizer: ScalarQuantizer?
            var codes: [UInt8]
            switch storage {
            case .float32: preconditionFailure("handled above")
            case .float16:
                codes = [UInt8](repeating: 0, count: rows * dimension * 2)
                codes.withUnsafeMutableBytes { raw in
                    let half = raw.bindMemory(to: UInt16.self)
                    for i in 0..<rows * dimension { half[i] = floatToHalf(floats[i]) }
                }
            case .int8:
                let training = UnsafeBufferPointer(
                    rebasing: floats[0..<(min(rows, quantizerTrainingRows) * dimension)])
                let trained = ScalarQuantizer(training: training, dimension: dimension)
                quantizer = trained
                codes = [UInt8](repeating: 0, count: rows * dimension)
                codes.withUnsafeMutableBytes { raw in
                    let int8 = raw.bindMemory(to: Int8.self)
                    for row in 0..<rows {
                        trained.encode(floats.baseAddress! + row * dimension,
                                       into: int8.baseAddress! + row * dimension)
                    }
                }
            }
            var compactImage = image
            compactImage.parameters.storage = storage
            compactImage.quantizer = quantizer
            try codes.withUnsafeBytes { compact in
                compactImage.compactVectors = compact
                try write(compactImage, to: path)
            }
        }
    }

    /// Writes `image` as segment 1, slot s under id s.
    static func write(_ image: HNSWImage, to path: String) throws(StorageError) {
        let contents = SegmentContents(segmentID: 1, image: image, ids: .numbers((0..<image.rowCount).map(UInt64.init)))
        try SegmentWriter.write(contents, to: path)
    }
}

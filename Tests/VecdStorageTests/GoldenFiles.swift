import Foundation
import VecdIndex
import VecdKernels
import VecdStorage

/// The tiny valid files whose hexdumps the specs in `formats/` show, made by the real writers.
enum GoldenFiles {
    /// `formats/wal.md`: three records, one of each type.
    static func wal(in directory: String) throws -> [UInt8] {
        let wal = try WALWriter(directory: directory, policy: .perWrite)
        try wal.append(.upsert(collection: 1, id: .number(42), vector: [1.0, -0.5]))
        try wal.append(.delete(collection: 1, id: .bytes(Array("a".utf8))))
        try wal.append(.opaque(kind: 7, bytes: [0xAB]))
        try wal.close()
        return try FileSystem.readFile(wal.filePaths[0])
    }

    /// `formats/manifest.md`: one collection with one segment that has a deletion bitmap.
    static let manifest = Manifest(
        generation: 1,
        collections: [
            Manifest.Collection(
                id: 1, name: "docs", dimension: 2, metric: .cosine, coveredSequence: SequenceNumber(3), externalSequence: 5,
                segments: [
                    Manifest.Segment(
                        segmentID: 1, fileName: "seg-1.vseg", rowCount: 2, deletionFileName: "seg-1.del",
                        deletedCount: 1)
                ])
        ])

    /// `formats/manifest.md`, "Deletion bitmap": row 1 of 2 deleted.
    static var bitmap: DeletionBitmap {
        var bitmap = DeletionBitmap(segmentID: 1, rowCount: 2)
        bitmap.insert(1)
        return bitmap
    }

    /// `formats/segment.md`: two rows of two dimensions, m = 2, 4 KiB pages; slot 0 on level 1 is the entry point.
    static func segment(to path: String) throws {
        let parameters = HNSWParameters(dimension: 2, metric: .cosine, m: 2, efConstruction: 4, seed: 1)
        let vectors: [Float] = [1, 0, 0, 1]
        let ground: [UInt32] = [1, 1, 0, 0, 0, 1, 0, 0, 0, 0]  // each links to the other
        let levels: [UInt8] = [1, 0]
        let upper: [UInt32] = [0, 0, 0]  // slot 0 is alone on level 1
        try vectors.withUnsafeBytes { v in
            try ground.withUnsafeBytes { g in
                try levels.withUnsafeBytes { l in
                    try upper.withUnsafeBytes { u in
                        let contents = SegmentContents(
                            segmentID: 1, parameters: parameters, rowCount: 2, vectors: v, groundLinks: g, levels: l,
                            upperLinks: u, ids: .numbers([10, 11]), entryPoint: SegmentEntryPoint(slot: 0, level: 1))
                        try SegmentWriter.write(contents, to: path, pageByteCount: 4096)
                    }
                }
            }
        }
    }
}

/// `bytes` in the format of `hexdump -C`: 16 bytes a line, runs of identical lines shown as `*`, then the length.
func canonicalHexdump(_ bytes: [UInt8]) -> String {
    var lines: [String] = []
    var previous: ArraySlice<UInt8>?
    var starred = false
    for start in stride(from: 0, to: bytes.count, by: 16) {
        let row = bytes[start..<min(start + 16, bytes.count)]
        if row.count == 16, row == previous {
            if !starred { lines.append("*") }
            starred = true
            continue
        }
        previous = row
        starred = false
        var hexPart = ""
        for i in 0..<16 {
            hexPart += i < row.count ? String(row[start + i], radix: 16).leftPad2 + " " : "   "
            if i == 7 { hexPart += " " }
        }
        let ascii = row.map { (0x20...0x7E).contains($0) ? String(UnicodeScalar($0)) : "." }.joined()
        lines.append(String(start, radix: 16).leftPad8 + "  " + hexPart + " |" + ascii + "|")
    }
    lines.append(String(bytes.count, radix: 16).leftPad8)
    return lines.joined(separator: "\n")
}

extension String {
    fileprivate var leftPad2: String { count >= 2 ? self : String(repeating: "0", count: 2 - count) + self }
    fileprivate var leftPad8: String { count >= 8 ? self : String(repeating: "0", count: 8 - count) + self }
}

import VecdKernels

/// The byte layout of the manifest (`formats/manifest.md`).
enum ManifestCodec {
    /// "VECDMANI".
    static let magic: [UInt8] = Array("VECDMANI".utf8)
    /// 2 added `externalSequence` to the collection record; version 1 files are still read (it is 0 there).
    static let majorVersion: UInt16 = 2
    static let minorVersion: UInt16 = 0
    static let headerByteCount = 32
    static let collectionHeaderByteCount = 32
    /// The collection record of format 1, which lacks `externalSequence`.
    static let version1CollectionHeaderByteCount = 24
    static let segmentHeaderByteCount = 32

    static func encode(_ manifest: Manifest, path: String) throws(StorageError) -> [UInt8] {
        var writer = ByteWriter()
        writer.append(contentsOf: magic)
        writer.append(majorVersion)
        writer.append(minorVersion)
        writer.append(UInt32(manifest.collections.count))
        writer.append(manifest.generation)
        writer.append(UInt64(0))  // file size, set at the end
        for collection in manifest.collections {
            let name = Array(collection.name.utf8)
            guard name.count <= Int(UInt16.max) else {
                throw StorageError(
                    code: .invalidArgument, path: path, detail: "collection name longer than 65,535 bytes")
            }
            writer.append(collection.id)
            writer.append(collection.dimension)
            writer.append(collection.metric.formatCode)
            writer.append(UInt8(0))
            writer.append(UInt16(name.count))
            writer.append(UInt32(collection.segments.count))
            writer.append(collection.coveredSequence.rawValue)
            writer.append(collection.externalSequence)
            writer.append(contentsOf: name)
            for segment in collection.segments {
                let deletion = segment.deletionFileName
                do {
                    try validateFileName(segment.fileName, path: path, offset: nil)
                    if let deletion { try validateFileName(deletion, path: path, offset: nil) }
                } catch {
                    throw StorageError(code: .invalidArgument, path: path, detail: error.detail)
                }
                writer.append(segment.segmentID)
                writer.append(segment.rowCount)
                writer.append(segment.deletedCount)
                writer.append(UInt16(segment.fileName.utf8.count))
                writer.append(UInt16(deletion?.utf8.count ?? 0))
                writer.appendZeros(4)
                writer.append(contentsOf: segment.fileName.utf8)
                writer.append(contentsOf: (deletion ?? "").utf8)
            }
        }
        let total = writer.count + 4
        var bytes = writer.bytes
        withUnsafeBytes(of: UInt64(total).littleEndian) { for i in 0..<8 { bytes[24 + i] = $0[i] } }
        let crc = CRC32C.checksum(bytes)
        withUnsafeBytes(of: crc.littleEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }

    static func decode(_ bytes: [UInt8], path: String) throws(StorageError) -> Manifest {
        try bytes.withBytes { (raw) throws(StorageError) in
            guard raw.count >= headerByteCount + 4 else {
                throw .corrupt(path, offset: 0, "manifest of \(raw.count) bytes is shorter than its 36-byte minimum")
            }
            guard Array(raw[0..<8]) == magic else {
                throw .corrupt(path, offset: 0, "not a vecd manifest (magic is not VECDMANI)")
            }
            let body = UnsafeRawBufferPointer(rebasing: raw[0..<raw.count - 4])
            let stored = raw.loadUnaligned(fromByteOffset: raw.count - 4, as: UInt32.self).littleEndian
            let computed = CRC32C.checksum(body)
            var reader = ByteReader(body, path: path)
            _ = try reader.readBytes(8)
            let major = try reader.readUInt16()
            _ = try reader.readUInt16()
            // The version is checked before the checksum: a newer major version may checksum differently.
            guard major <= majorVersion else {
                throw StorageError(
                    code: .versionTooNew, path: path, offset: 8,
                    detail:
                        "manifest format version \(major) is newer than this vecd reads (\(majorVersion)); upgrade vecd"
                )
            }
            guard stored == computed else {
                throw .corrupt(
                    path, offset: raw.count - 4,
                    "manifest checksum mismatch (stored \(hex(stored)), computed \(hex(computed))); the file is damaged or truncated"
                )
            }
            guard major == majorVersion || major == 1 else {
                throw .corrupt(path, offset: 8, "manifest format version \(major) is unknown")
            }
            let collectionCount = Int(try reader.readUInt32())
            let generation = try reader.readUInt64()
            let total = try reader.readUInt64()
            guard total == UInt64(raw.count) else {
                throw .corrupt(path, offset: 24, "manifest says it has \(total) bytes, the file has \(raw.count)")
            }
            var manifest = Manifest(generation: generation)
            for _ in 0..<collectionCount {
                manifest.collections.append(try decodeCollection(&reader, major: major))
            }
            guard reader.remaining == 0 else {
                throw .corrupt(
                    path, offset: reader.position, "\(reader.remaining) unexpected bytes after the last collection")
            }
            return manifest
        }
    }

    private static func decodeCollection(
        _ reader: inout ByteReader, major: UInt16
    ) throws(StorageError) -> Manifest.Collection {
        let start = reader.position
        let id = try reader.readUInt32()
        let dimension = try reader.readUInt32()
        let metricCode = try reader.readUInt8()
        guard let metric = DistanceMetric(formatCode: metricCode) else {
            throw .corrupt(reader.path, offset: start + 8, "unknown metric code \(metricCode)")
        }
        try reader.readReserved(1, field: "collection.reserved")
        let nameCount = Int(try reader.readUInt16())
        let segmentCount = Int(try reader.readUInt32())
        let covered = SequenceNumber(try reader.readUInt64())
        let external = major >= 2 ? try reader.readUInt64() : 0
        let name = String(decoding: try reader.readBytes(nameCount), as: UTF8.self)
        var collection = Manifest.Collection(
            id: id, name: name, dimension: dimension, metric: metric, coveredSequence: covered,
            externalSequence: external)
        for _ in 0..<segmentCount {
            let segmentStart = reader.position
            let segmentID = try reader.readUInt64()
            let rowCount = try reader.readUInt64()
            let deletedCount = try reader.readUInt64()
            let fileNameCount = Int(try reader.readUInt16())
            let deletionNameCount = Int(try reader.readUInt16())
            try reader.readReserved(4, field: "segment.reserved")
            let fileName = String(decoding: try reader.readBytes(fileNameCount), as: UTF8.self)
            try validateFileName(fileName, path: reader.path, offset: segmentStart + 32)
            var deletionFileName: String?
            if deletionNameCount > 0 {
                let deletion = String(decoding: try reader.readBytes(deletionNameCount), as: UTF8.self)
                try validateFileName(deletion, path: reader.path, offset: segmentStart + 32 + fileNameCount)
                deletionFileName = deletion
            }
            guard deletedCount <= rowCount else {
                throw .corrupt(
                    reader.path, offset: segmentStart + 16, "\(deletedCount) deletions in a segment of \(rowCount) rows"
                )
            }
            collection.segments.append(
                Manifest.Segment(
                    segmentID: segmentID, fileName: fileName, rowCount: rowCount,
                    deletionFileName: deletionFileName, deletedCount: deletedCount))
        }
        return collection
    }
}

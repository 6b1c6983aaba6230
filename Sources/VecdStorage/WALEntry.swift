/// What one write-ahead log record says. See `formats/wal.md` for the byte layout of each payload.
public enum WALEntry: Equatable, Sendable {
    /// Insert or replace vector `id` of collection `collection`.
    case upsert(collection: UInt32, id: VectorID, vector: [Float])
    /// Delete vector `id` of collection `collection`.
    case delete(collection: UInt32, id: VectorID)
    /// Bytes whose meaning belongs to the layers above storage; `kind` tells them apart.
    case opaque(kind: UInt32, bytes: [UInt8])

    /// The record type byte.
    var typeCode: UInt8 {
        switch self {
        case .upsert: return 1
        case .delete: return 2
        case .opaque: return 3
        }
    }

    /// The payload bytes (everything after the 20-byte record header).
    func encodePayload() throws(StorageError) -> [UInt8] {
        var writer = ByteWriter()
        switch self {
        case .upsert(let collection, let id, let vector):
            writer = ByteWriter(capacity: 16 + 8 + vector.count * 4)
            writer.append(collection)
            writer.append(UInt32(vector.count))
            try Self.appendID(id, to: &writer)
            vector.withUnsafeBytes { raw in
                #if _endian(little)
                    writer.append(contentsOf: raw)
                #else
                    for value in vector { writer.append(value) }
                #endif
            }
        case .delete(let collection, let id):
            writer.append(collection)
            writer.append(UInt32(0))
            try Self.appendID(id, to: &writer)
        case .opaque(let kind, let bytes):
            writer.append(kind)
            writer.append(UInt32(0))
            writer.append(contentsOf: bytes)
        }
        return writer.bytes
    }

    /// Decodes the payload of a record of type `type` (its checksum already verified).
    static func decode(type: UInt8, payload: UnsafeRawBufferPointer, path: String, offset: Int)
        throws(StorageError) -> WALEntry
    {
        var reader = ByteReader(payload, path: path, baseOffset: offset)
        switch type {
        case 1:
            let collection = try reader.readUInt32()
            let dimension = Int(try reader.readUInt32())
            let id = try readID(&reader)
            guard reader.remaining == dimension * 4 else {
                throw .corrupt(
                    path, offset: offset,
                    "upsert payload holds \(reader.remaining) vector bytes, dimension \(dimension) needs \(dimension * 4)"
                )
            }
            var vector = [Float](repeating: 0, count: dimension)
            for i in 0..<dimension { vector[i] = try reader.readFloat() }
            return .upsert(collection: collection, id: id, vector: vector)
        case 2:
            let collection = try reader.readUInt32()
            try reader.readReserved(4, field: "delete.reserved")
            let id = try readID(&reader)
            guard reader.remaining == 0 else {
                throw .corrupt(path, offset: offset, "delete payload has \(reader.remaining) trailing bytes")
            }
            return .delete(collection: collection, id: id)
        case 3:
            let kind = try reader.readUInt32()
            try reader.readReserved(4, field: "opaque.reserved")
            return .opaque(kind: kind, bytes: Array(try reader.readBytes(reader.remaining)))
        default:
            // The checksum matched, so a newer vecd wrote a record type this one does not know.
            throw StorageError(
                code: .versionTooNew, path: path, offset: offset,
                detail: "unknown WAL record type \(type) (this vecd knows 1-3); a newer vecd wrote this log")
        }
    }

    private static func appendID(_ id: VectorID, to writer: inout ByteWriter) throws(StorageError) {
        let bytes = id.storedBytes
        guard bytes.count <= VectorID.maxByteCount else {
            throw StorageError(
                code: .invalidArgument, path: "",
                detail: "a byte-string id holds at most \(VectorID.maxByteCount) bytes, got \(bytes.count)")
        }
        writer.append(id.kindCode)
        writer.appendZeros(3)
        writer.append(UInt32(bytes.count))
        writer.append(contentsOf: bytes)
    }

    private static func readID(_ reader: inout ByteReader) throws(StorageError) -> VectorID {
        let start = reader.baseOffset + reader.position
        let kind = try reader.readUInt8()
        try reader.readReserved(3, field: "id.reserved")
        let count = Int(try reader.readUInt32())
        switch kind {
        case 0:
            guard count == 8 else {
                throw .corrupt(reader.path, offset: start, "a numeric id has 8 bytes, not \(count)")
            }
            return .number(try reader.readUInt64())
        case 1:
            guard count <= VectorID.maxByteCount else {
                throw .corrupt(reader.path, offset: start, "id of \(count) bytes exceeds \(VectorID.maxByteCount)")
            }
            return .bytes(Array(try reader.readBytes(count)))
        default:
            throw .corrupt(reader.path, offset: start, "unknown id kind \(kind)")
        }
    }
}

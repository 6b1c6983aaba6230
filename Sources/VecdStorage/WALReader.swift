/// One record read back from the write-ahead log.
public struct WALRecord: Equatable, Sendable {
    public var sequence: SequenceNumber
    public var entry: WALEntry
}

/// An incomplete last record: a write that a crash cut short, which was never acknowledged.
public struct WALTornTail: Equatable, Sendable {
    /// The WAL file that ends in it.
    public var path: String
    /// Where the incomplete record starts; the file is valid up to here.
    public var offset: Int
    /// Bytes from `offset` to the end of the file.
    public var byteCount: Int
}

/// What a pass over the write-ahead log found.
public struct WALScanSummary: Equatable, Sendable {
    /// WAL files read, in sequence order.
    public var paths: [String] = []
    /// Records read (every whole record, delivered or not).
    public var recordCount = 0
    /// Records passed to the caller (those at or after the requested sequence).
    public var deliveredCount = 0
    /// The last whole record's sequence number, or the one before the first file's first record if it has none.
    public var lastSequence = SequenceNumber.zero
    /// The incomplete record at the end of the last file, if a crash left one.
    public var tornTail: WALTornTail?
}

/// Reads the write-ahead log of a directory. See `formats/wal.md`.
///
/// Recovery rule: a record that is incomplete or fails its checksum is a *torn tail* when it is in the last file and
/// no whole record follows it anywhere in that file (a crash cut the last write short; it was never acknowledged,
/// so dropping it loses nothing). Any other bad record, a bad file header, or a gap in the sequence numbers is
/// damage: the scan stops with ``StorageError/Code/corrupt`` naming the file and offset, and nothing is delivered
/// after it.
public enum WALReader {
    /// Calls `body` for every record with a sequence number at or after `from`, in order.
    public static func replay(
        directory: String, from: SequenceNumber = SequenceNumber(1),
        _ body: (WALRecord) throws(StorageError) -> Void
    ) throws(StorageError) -> WALScanSummary {
        try scan(directory: directory, from: from, body)
    }

    /// Reads and checks every byte of every WAL file without delivering anything (for `vecd verify`).
    public static func verify(directory: String) throws(StorageError) -> WALScanSummary {
        try scan(directory: directory, from: nil) { (_: WALRecord) throws(StorageError) in }
    }

    /// The WAL files in `directory`, in sequence order, with the first sequence number each name gives.
    public static func files(in directory: String) throws(StorageError) -> [(first: SequenceNumber, path: String)] {
        guard FileSystem.exists(directory) else { return [] }
        return try FileSystem.listDirectory(directory)
            .compactMap { name in WALFormat.firstSequence(fileName: name).map { ($0, directory + "/" + name) } }
            .sorted { $0.0 < $1.0 }
    }

    static func scan(
        directory: String, from: SequenceNumber?, _ body: (WALRecord) throws(StorageError) -> Void
    ) throws(StorageError) -> WALScanSummary {
        var summary = WALScanSummary()
        let files = try files(in: directory)
        var expected: SequenceNumber?
        for (index, file) in files.enumerated() {
            summary.paths.append(file.path)
            let bytes = try FileSystem.readFile(file.path)
            try bytes.withBytes { (raw) throws(StorageError) in
                let first = try WALFormat.decodeFileHeader(raw, path: file.path)
                guard first == file.first else {
                    throw .corrupt(
                        file.path, offset: 16, "header names first sequence \(first), the file name \(file.first)")
                }
                if let expected, first != expected {
                    throw .corrupt(
                        file.path, offset: 16,
                        "sequence gap: expected the file to start at \(expected), it starts at \(first)")
                }
                // Sequence 0 is "before everything", so replaying from 0 or 1 needs the same records.
                if index == 0, let from, max(from, SequenceNumber(1)) < first {
                    throw .corrupt(
                        file.path, offset: 16,
                        "replay needs records from \(from) but the oldest WAL file starts at \(first)")
                }
                var next = first
                summary.lastSequence = SequenceNumber(first.rawValue - 1)
                var offset = WALFormat.fileHeaderByteCount
                while offset < raw.count {
                    guard let frame = WALFormat.frame(at: offset, in: raw) else {
                        if index == files.count - 1 && !wholeRecordFollows(offset, in: raw, after: next) {
                            summary.tornTail = WALTornTail(
                                path: file.path, offset: offset, byteCount: raw.count - offset)
                            break
                        }
                        throw .corrupt(
                            file.path, offset: offset, "WAL record fails its checksum and whole records follow it")
                    }
                    guard frame.sequence == next else {
                        throw .corrupt(
                            file.path, offset: offset, "sequence gap: expected record \(next), found \(frame.sequence)")
                    }
                    let deliver = from.map { frame.sequence >= $0 } ?? false
                    if deliver || from == nil {  // verify decodes every payload too
                        let payload = UnsafeRawBufferPointer(
                            rebasing: raw[frame.payloadOffset..<offset + frame.byteCount])
                        let entry = try WALEntry.decode(
                            type: frame.type, payload: payload, path: file.path, offset: frame.payloadOffset)
                        if deliver {
                            try body(WALRecord(sequence: frame.sequence, entry: entry))
                            summary.deliveredCount += 1
                        }
                    }
                    summary.recordCount += 1
                    summary.lastSequence = frame.sequence
                    next = frame.sequence.next
                    offset += frame.byteCount
                }
                expected = next
            }
        }
        return summary
    }

    /// Whether a whole record with a sequence number at or after `sequence` starts anywhere after `offset`, which
    /// tells damage in the middle of the log (records follow) from a torn last write (nothing follows).
    static func wholeRecordFollows(_ offset: Int, in bytes: UnsafeRawBufferPointer, after sequence: SequenceNumber)
        -> Bool
    {
        var position = offset + 1
        while bytes.count - position >= WALFormat.recordHeaderByteCount {
            let candidate = bytes.loadUnaligned(fromByteOffset: position + 8, as: UInt64.self).littleEndian
            // Cheap filter first: only plausible sequence numbers are worth a checksum.
            if candidate >= sequence.rawValue, candidate - sequence.rawValue < 1 << 32,
                WALFormat.frame(at: position, in: bytes) != nil
            {
                return true
            }
            position += 1
        }
        return false
    }
}

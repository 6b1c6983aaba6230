import Foundation
import Testing

import VecdBench
@testable import VecdStorage
import VecdTestSupport

@Suite("Write-ahead log")
struct WALTests {
    static func sampleEntries(_ count: Int, seed: UInt64 = 1) -> [WALEntry] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { i in
            switch i % 3 {
            case 0:
                let vector = (0..<(1 + i % 7)).map { _ in Float.random(in: -1...1, using: &rng) }
                return .upsert(collection: UInt32(i % 2), id: .number(UInt64(i) * 1_000_003), vector: vector)
            case 1: return .delete(collection: 1, id: .bytes(Array("doc-\(i)".utf8)))
            default: return .opaque(kind: 7, bytes: (0..<(i % 11)).map { UInt8($0) })
            }
        }
    }

    static func readAll(_ directory: String, from: SequenceNumber = SequenceNumber(1)) throws -> (
        [WALRecord], WALScanSummary
    ) {
        var records: [WALRecord] = []
        let summary = try WALReader.replay(directory: directory, from: from) { records.append($0) }
        return (records, summary)
    }

    @Test(
        "records read back equal to what was appended, numbered from 1",
        arguments: [WALSyncPolicy.perWrite, .groupCommit(milliseconds: 1)])
    func roundTrip(policy: WALSyncPolicy) throws {
        let dir = TemporaryDirectory()
        let entries = Self.sampleEntries(30)
        let wal = try WALWriter(directory: dir.path, policy: policy)
        for (i, entry) in entries.enumerated() { #expect(try wal.append(entry) == SequenceNumber(UInt64(i + 1))) }
        #expect(wal.durableSequenceNumber == SequenceNumber(30))
        try wal.close()
        let (records, summary) = try Self.readAll(dir.path)
        #expect(records.map(\.entry) == entries)
        #expect(records.map(\.sequence.rawValue) == Array(1...30))
        #expect(summary.tornTail == nil && summary.lastSequence == SequenceNumber(30))
        #expect(try Self.readAll(dir.path, from: .zero).0 == records)
        let (tail, _) = try Self.readAll(dir.path, from: SequenceNumber(26))
        #expect(tail.map(\.sequence.rawValue) == [26, 27, 28, 29, 30])
    }

    @Test("a reopened log continues the numbering, and after a flush continues past the manifest's sequence")
    func reopen() throws {
        let dir = TemporaryDirectory()
        do {
            let wal = try WALWriter(directory: dir.path, policy: .perWrite)
            try wal.append(contentsOf: Self.sampleEntries(5))
        }
        let wal = try WALWriter(directory: dir.path, policy: .perWrite)
        #expect(try wal.append(.opaque(kind: 1, bytes: [])) == SequenceNumber(6))
        try wal.close()
        let fresh = try WALWriter(directory: dir.path, policy: .perWrite, after: SequenceNumber(100))
        #expect(try fresh.append(.opaque(kind: 1, bytes: [])) == SequenceNumber(101))
        let (records, _) = try Self.readAll(dir.path, from: SequenceNumber(101))
        #expect(records.map(\.sequence) == [SequenceNumber(101)])
    }

    @Test("a torn last record is dropped on replay and truncated away when the writer reopens")
    func tornTail() throws {
        let dir = TemporaryDirectory()
        let entries = Self.sampleEntries(6)
        let wal = try WALWriter(directory: dir.path, policy: .perWrite)
        try wal.append(contentsOf: Array(entries.prefix(5)))
        let path = wal.filePaths[0]
        let goodSize = try FileSystem.readFile(path).count
        try wal.append(entries[5])
        try wal.close()
        let full = try FileSystem.readFile(path)
        for cut in stride(from: goodSize + 1, to: full.count, by: 3) {
            try FileSystem.atomicReplace(path: path, data: Array(full.prefix(cut)))
            let (records, summary) = try Self.readAll(dir.path)
            #expect(records.map(\.entry) == Array(entries.prefix(5)))
            #expect(summary.tornTail == WALTornTail(path: path, offset: goodSize, byteCount: cut - goodSize))
        }
        // A crash can also leave zeros where the last record should be (the size grew, the data never landed).
        try FileSystem.atomicReplace(path: path, data: Array(full.prefix(goodSize)) + [UInt8](repeating: 0, count: 100))
        let reopened = try WALWriter(directory: dir.path, policy: .perWrite)
        #expect(try FileSystem.readFile(path).count == goodSize)
        #expect(try reopened.append(entries[5]) == SequenceNumber(6))
        let (records, summary) = try Self.readAll(dir.path)
        #expect(records.map(\.entry) == entries && summary.tornTail == nil)
    }

    @Test("a damaged record followed by whole records stops replay with an error naming the file and offset")
    func damageInTheMiddle() throws {
        let dir = TemporaryDirectory()
        let wal = try WALWriter(directory: dir.path, policy: .perWrite)
        try wal.append(contentsOf: Self.sampleEntries(10))
        try wal.close()
        let path = wal.filePaths[0]
        var bytes = try FileSystem.readFile(path)
        let secondRecord =
            WALFormat.fileHeaderByteCount + WALFormat.recordHeaderByteCount
            + Int(bytes[WALFormat.fileHeaderByteCount])  // first record's payload length (< 256 here)
        bytes[secondRecord + 22] ^= 0x10
        try FileSystem.atomicReplace(path: path, data: bytes)
        var delivered = 0
        let error = caught { _ = try WALReader.replay(directory: dir.path) { _ in delivered += 1 } }
        #expect(error?.code == .corrupt && error?.path == path && error?.offset == secondRecord)
        #expect(delivered == 1)
        #expect(caught { _ = try WALWriter(directory: dir.path) }?.code == .corrupt)
    }

    @Test("files rotate at the size limit, replay crosses them, and covered files are deleted")
    func rotation() throws {
        let dir = TemporaryDirectory()
        let entries = Self.sampleEntries(40)
        let wal = try WALWriter(directory: dir.path, policy: .perWrite, maxFileByteCount: 200)
        for entry in entries { try wal.append(entry) }
        let fileCount = wal.filePaths.count
        #expect(fileCount > 3)
        #expect(try Self.readAll(dir.path).0.map(\.entry) == entries)
        try wal.removeFiles(coveredThrough: SequenceNumber(20))
        let remaining = try WALReader.files(in: dir.path)
        #expect(remaining.count < fileCount && remaining[0].first <= SequenceNumber(21))
        #expect(try Self.readAll(dir.path, from: SequenceNumber(21)).0.map(\.entry) == Array(entries[20...]))
        // Replaying from before the oldest remaining file is refused: those records are gone.
        #expect(caught { _ = try Self.readAll(dir.path, from: SequenceNumber(1)) }?.code == .corrupt)
        try wal.removeFiles(coveredThrough: SequenceNumber(40))
        #expect(wal.filePaths.count == 1)  // the file being written stays
        #expect(try wal.append(.opaque(kind: 0, bytes: [1])) == SequenceNumber(41))
    }

    @Test("a missing WAL file in the middle is reported as a sequence gap")
    func missingFile() throws {
        let dir = TemporaryDirectory()
        let wal = try WALWriter(directory: dir.path, policy: .perWrite, maxFileByteCount: 150)
        for entry in Self.sampleEntries(20) { try wal.append(entry) }
        try wal.close()
        let paths = wal.filePaths
        try FileSystem.removeFile(paths[1])
        let error = caught { _ = try WALReader.verify(directory: dir.path) }
        #expect(error?.code == .corrupt && error?.path == paths[2] && error?.detail.contains("gap") == true)
    }

    @Test("concurrent writers are each acknowledged only once an fsync covers them, and all land in order")
    func groupCommit() throws {
        let dir = TemporaryDirectory()
        let wal = try WALWriter(directory: dir.path, policy: .groupCommit(milliseconds: 2))
        let threads = 4
        let perThread = 25
        let acknowledged = Locked<[SequenceNumber: WALEntry]>([:])
        let violations = Locked(0)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<perThread {
                let entry = WALEntry.upsert(collection: UInt32(t), id: .number(UInt64(i)), vector: [Float(i)])
                guard let sequence = try? wal.append(entry) else { continue }
                if wal.durableSequenceNumber < sequence { violations.update { $0 += 1 } }
                acknowledged.update { $0[sequence] = entry }
            }
        }
        #expect(violations.value == 0)
        #expect(acknowledged.value.count == threads * perThread)
        #expect(wal.fsyncCount <= threads * perThread)
        try wal.close()
        let (records, _) = try Self.readAll(dir.path)
        #expect(records.map(\.sequence.rawValue) == Array(1...UInt64(threads * perThread)))
        for record in records { #expect(acknowledged.value[record.sequence] == record.entry) }
    }

    @Test("a record type from a newer vecd and a newer major version are refused as too new")
    func newerVersions() throws {
        let dir = TemporaryDirectory()
        let wal = try WALWriter(directory: dir.path, policy: .perWrite)
        try wal.append(.opaque(kind: 1, bytes: [1, 2]))
        try wal.close()
        let path = wal.filePaths[0]
        let original = try FileSystem.readFile(path)
        var writer = ByteWriter()
        writer.append(contentsOf: original)
        WALFormat.encodeRecord(sequence: SequenceNumber(2), type: 99, payload: [0, 0, 0, 0], into: &writer)
        try FileSystem.atomicReplace(path: path, data: writer.bytes)
        let unknownType = caught { _ = try WALReader.verify(directory: dir.path) }
        #expect(unknownType?.code == .versionTooNew && unknownType?.path == path)
        var newer = original
        newer[8] = 2  // major version 2, header checksum recomputed so only the version differs
        let crc = newer.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<28])) }
        withUnsafeBytes(of: crc.littleEndian) { for i in 0..<4 { newer[28 + i] = $0[i] } }
        try FileSystem.atomicReplace(path: path, data: newer)
        let error = caught { _ = try WALReader.verify(directory: dir.path) }
        #expect(error?.code == .versionTooNew && error?.path == path && error?.detail.contains("upgrade") == true)
    }
}

extension WALTests {
    @Test("records the log could not read back (oversized, over-long ids) are refused before anything is written")
    func oversizedRecords() throws {
        let dir = TemporaryDirectory()
        let wal = try WALWriter(directory: dir.path, policy: .perWrite)
        let huge = WALEntry.opaque(kind: 1, bytes: [UInt8](repeating: 0, count: WALFormat.maxPayloadByteCount + 1))
        let error = caught { try wal.append(contentsOf: [.opaque(kind: 1, bytes: [1]), huge]) }
        #expect(error?.code == .invalidArgument && error?.isUserError == true)
        let longID = WALEntry.delete(collection: 1, id: .bytes([UInt8](repeating: 1, count: VectorID.maxByteCount + 1)))
        let idError = caught { try wal.append(longID) }
        #expect(idError?.code == .invalidArgument && idError?.path == dir.path)
        #expect(try wal.append(.opaque(kind: 2, bytes: [])) == SequenceNumber(1))
        try wal.close()
        #expect(try Self.readAll(dir.path).0.map(\.entry) == [.opaque(kind: 2, bytes: [])])
    }
}

/// A value shared between test threads.
final class Locked<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func update(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}

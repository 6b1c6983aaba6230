import Foundation
import Testing
import VecdIndex

@testable import VecdStorage
import VecdTestSupport

/// Locking, read-only opens, refused input and damaged files.
@Suite("Vector collection access and damage")
struct VectorCollectionAccessTests {
    typealias F = CollectionFixture

    @Test("a second writer is refused; a read-only open beside the writer sees every acknowledged write")
    func locking() throws {
        let dir = TemporaryDirectory()
        let writer = try VectorCollection(path: dir.path, configuration: F.configuration(flushRowCount: 100))
        try writer.write((0..<150).map { .upsert(id: UInt64($0), vector: F.vector(id: UInt64($0))) })
        #expect(caught { _ = try VectorCollection(path: dir.path, configuration: F.configuration()) }?.code == .locked)
        let reader = try VectorCollection(path: dir.path, configuration: F.configuration(), access: .readOnly)
        #expect(reader.stats().liveCount == 150)
        #expect(try reader.search(F.vector(id: 120), k: 1).first?.id == 120)
        #expect(caught { try reader.upsert(id: 1, vector: F.vector(id: 1)) }?.code == .readOnly)
        try writer.close()
        let second = try VectorCollection(path: dir.path, configuration: F.configuration())
        #expect(second.stats().liveCount == 150)
    }

    @Test("bad input is refused with a typed error and nothing is written")
    func refusedInput() throws {
        let dir = TemporaryDirectory()
        let collection = try VectorCollection(path: dir.path, configuration: F.configuration())
        try collection.upsert(id: 1, vector: F.vector(id: 1))
        var bad = F.vector(id: 2)
        bad[3] = .nan
        let batch: [CollectionWrite] = [.upsert(id: 2, vector: F.vector(id: 2)), .upsert(id: 3, vector: bad)]
        #expect(caught { try collection.write(batch) }?.code == .invalidArgument)
        #expect(caught { try collection.upsert(id: 4, vector: [1, 2]) }?.code == .invalidArgument)
        #expect(collection.stats().liveCount == 1 && collection.stats().appliedSequence == SequenceNumber(1))
        try collection.close()
        var other = F.configuration()
        other.parameters.dimension = 8
        #expect(caught { _ = try VectorCollection(path: dir.path, configuration: other) }?.code == .invalidArgument)
        var missing = F.configuration()
        missing.name = "absent"
        #expect(
            caught { _ = try VectorCollection(path: dir.path, configuration: missing, access: .readOnly) }?.code
                == .notFound)
    }

    @Test("a damaged or truncated segment is reported with an error naming the file")
    func damagedSegment() throws {
        let dir = TemporaryDirectory()
        do {
            let collection = try VectorCollection(path: dir.path, configuration: F.configuration())
            try collection.write((0..<300).map { .upsert(id: UInt64($0), vector: F.vector(id: UInt64($0))) })
            try collection.flush()
            try collection.close()
        }
        let name = try #require(try FileSystem.listDirectory(dir.path).first { $0.hasSuffix(".vseg") })
        let path = dir.file(name)
        let original = try FileSystem.readFile(path)
        let block = try #require(try SegmentReader(path: path).block(of: .vectorsFloat32))
        // Header damage is found at open.
        var header = original
        header[70] ^= 0x10
        try overwrite(path, header)
        let headerError = caught { _ = try VectorCollection(path: dir.path, configuration: F.configuration()) }
        #expect(headerError?.code == .corrupt && headerError?.path == path, "\(String(describing: headerError))")
        // Truncation is found at open.
        try overwrite(path, Array(original.dropLast(4096)))
        let truncated = caught { _ = try VectorCollection(path: dir.path, configuration: F.configuration()) }
        #expect(truncated?.code == .corrupt && truncated?.path == path)
        #expect(truncated?.description.contains(name) == true)
        // Row damage is found at open too (every block's checksum is read), so no search is served from it.
        var vectors = original
        vectors[block.offset + 100] ^= 0x01
        try overwrite(path, vectors)
        let rowError = caught { _ = try VectorCollection(path: dir.path, configuration: F.configuration()) }
        #expect(rowError?.code == .corrupt && rowError?.path == path, "\(String(describing: rowError))")
        #expect(rowError?.description.contains("vectors.f32") == true)
        // Damage after the open is found by verify.
        try overwrite(path, original)
        let collection = try VectorCollection(path: dir.path, configuration: F.configuration())
        let file = try #require(FileHandle(forUpdatingAtPath: path))
        try file.seek(toOffset: UInt64(block.offset + 100))
        try file.write(contentsOf: [vectors[block.offset + 100]])
        try file.close()
        let verifyError = caught { try collection.verify() }
        #expect(verifyError?.code == .corrupt && verifyError?.path == path)
    }
}

/// Readers opening beside a busy writer.
@Suite("Read-only opens beside a writer")
struct VectorCollectionReaderTests {
    typealias F = CollectionFixture

    @Test("read-only opens during flushes and compactions see at least every write acknowledged before them")
    func readersBesideWriter() throws {
        let dir = TemporaryDirectory()
        let writer = try VectorCollection(path: dir.path, configuration: F.configuration(flushRowCount: 60))
        try writer.write((0..<60).map { .upsert(id: UInt64($0), vector: F.vector(id: UInt64($0))) })
        let acknowledged = Locked(60)
        let failures = Locked<[String]>([])
        let path = dir.path
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            do {
                if worker == 0 {
                    for batch in 1..<25 {
                        let ids = (batch * 20..<(batch + 1) * 20).map(UInt64.init)
                        try writer.write(ids.map { .upsert(id: $0, vector: F.vector(id: $0)) })
                        acknowledged.update { $0 = (batch + 1) * 20 }
                        if batch % 6 == 0 { _ = try writer.compact() }
                    }
                } else {
                    for _ in 0..<25 {
                        let floor = acknowledged.value
                        let reader = try VectorCollection(
                            path: path, configuration: F.configuration(), access: .readOnly)
                        let count = reader.stats().liveCount
                        if count < floor { failures.update { $0.append("reader saw \(count) < \(floor)") } }
                    }
                }
            } catch {
                failures.update { $0.append("worker \(worker): \(error)") }
            }
        }
        #expect(failures.value.isEmpty, "\(failures.value)")
    }
}

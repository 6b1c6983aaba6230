import Foundation
import Testing
import VecdBench
import VecdIndex
import VecdKernels

@testable import VecdStorage
import VecdTestSupport

/// Low-RAM mode: a compact segment's Float32 rows are left out of the mapping and read with pread for the re-rank.
@Suite("low-RAM segments")
struct LowRAMSegmentTests {
    static let dimension = 24

    /// A real graph (so that searches mean something) of `rows` seeded cosine vectors in `storage` mode.
    static func builtIndex(rows: Int, storage: VectorStorageMode) throws -> HNSWIndex {
        let index = try HNSWIndex(
            parameters: HNSWParameters(dimension: dimension, metric: .cosine, m: 6, efConstruction: 24,
                                       storage: storage, seed: 7))
        var generator = SeededGenerator(seed: 1234)
        let vectors = (0..<rows * dimension).map { _ in Float(generator.next() >> 40) / Float(1 << 24) - 0.5 }
        try vectors.withUnsafeBufferPointer { (buffer) throws(IndexError) in _ = try index.add(buffer, threads: 1) }
        return index
    }

    static func write(_ index: HNSWIndex, to path: String, pageByteCount: Int = 4096) throws {
        try index.withImage { image in
            let contents = SegmentContents(
                segmentID: 3, parameters: image.parameters, rowCount: image.rowCount, vectors: image.vectors,
                compactVectors: image.compactVectors, quantizer: image.quantizer, groundLinks: image.groundLinks,
                levels: image.levels, upperLinks: image.upperLinks,
                ids: .numbers((0..<image.rowCount).map(UInt64.init)),
                entryPoint: image.entryPoint.map { SegmentEntryPoint(slot: $0.slot, level: $0.level) })
            try SegmentWriter.write(contents, to: path, pageByteCount: pageByteCount)
        }
    }

    /// Keeps a reader and its decoded upper links alive for an index over the mapping (as a collection does).
    final class Served: @unchecked Sendable {
        let reader: SegmentReader
        let upper: UnsafeMutableRawBufferPointer
        var index: HNSWIndex!

        init(path: String, rowAccess: SegmentReader.RowAccess) throws {
            reader = try SegmentReader(path: path, rowAccess: rowAccess)
            let words = try reader.upperLinks()
            upper = .allocate(byteCount: max(words.count * 4, 4), alignment: 64)
            words.withUnsafeBytes { upper.copyMemory(from: $0) }
            let header = reader.header
            let image = HNSWImage(
                parameters: header.parameters, rowCount: header.rowCount, vectors: reader.vectors,
                compactVectors: reader.compactVectors, quantizer: try reader.quantizer(),
                groundLinks: reader.groundLinks, levels: reader.levels,
                upperLinks: UnsafeRawBufferPointer(start: upper.baseAddress, count: words.count * 4),
                entryPoint: header.entryPoint.map { (slot: $0.slot, level: $0.level) }, rerankRows: reader.rowFile)
            index = try HNSWIndex(mapping: image, owner: self)
        }

        deinit { upper.deallocate() }
    }

    static func queries(_ count: Int) -> [[Float]] {
        var generator = SeededGenerator(seed: 99)
        return (0..<count).map { _ in (0..<dimension).map { _ in Float(generator.next() >> 40) / Float(1 << 24) - 0.5 } }
    }

    @Test("a compact segment stores its Float32 rows last; a Float32 segment keeps them first", arguments: VectorStorageMode.allCases)
    func float32RowsComeLastInCompactSegments(storage: VectorStorageMode) throws {
        let dir = TemporaryDirectory()
        try Self.write(Self.builtIndex(rows: 1_200, storage: storage), to: dir.file("s.vseg"))
        let reader = try SegmentReader(path: dir.file("s.vseg"))
        let kinds = reader.blocks.map(\.kind)
        #expect(storage == .float32 ? kinds.first == .vectorsFloat32 : kinds.last == .vectorsFloat32)
    }

    @Test("reading rows on demand answers exactly as the mapped rows do when every candidate is re-ranked",
          arguments: [VectorStorageMode.float16, .int8], [4096, 16384, 65536])
    func onDemandMatchesMapped(storage: VectorStorageMode, pageByteCount: Int) throws {
        let dir = TemporaryDirectory()
        let path = dir.file("s.vseg")
        try Self.write(Self.builtIndex(rows: 1_200, storage: storage), to: path, pageByteCount: pageByteCount)
        let mapped = try Served(path: path, rowAccess: .mapped)
        let lowRAM = try Served(path: path, rowAccess: .readOnDemand)
        #expect(mapped.reader.rowFile == nil)
        #expect(lowRAM.reader.rowFile != nil && lowRAM.reader.vectors.isEmpty)
        // At efSearch 40 the low-RAM re-rank reads every candidate (at least 40), so both must agree exactly.
        for query in Self.queries(30) {
            let expected = try mapped.index.search(query, parameters: SearchParameters(k: 10, efSearch: 40))
            let got = try lowRAM.index.search(query, parameters: SearchParameters(k: 10, efSearch: 40))
            #expect(got.neighbors.map(\.slot) == expected.neighbors.map(\.slot))
            #expect(got.neighbors.map(\.distance) == expected.neighbors.map(\.distance))
        }
        // Filtered exact scans read rows on demand too.
        let allowed = AllowedSlots((0..<20).map { Slot($0) })
        let query = Self.queries(1)[0]
        let expected = try mapped.index.search(query, parameters: SearchParameters(k: 5, efSearch: 40), filter: allowed)
        let got = try lowRAM.index.search(query, parameters: SearchParameters(k: 5, efSearch: 40), filter: allowed)
        #expect(got.neighbors.map(\.slot) == expected.neighbors.map(\.slot))
        #expect(got.neighbors.map(\.distance) == expected.neighbors.map(\.distance))
        #expect(got.report.plan == .exactScan)
        for slot in [0, 17, 1_199] {
            #expect(try lowRAM.index.vector(at: Slot(slot)) == mapped.index.vector(at: Slot(slot)))
        }
    }

    @Test("the low-RAM mapping leaves out the Float32 rows; their page cache is counted apart")
    func residentMappingExcludesRows() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("s.vseg")
        try Self.write(Self.builtIndex(rows: 2_000, storage: .int8), to: path)
        let reader = try SegmentReader(path: path, rowAccess: .readOnDemand)
        let rows = try #require(reader.block(of: .vectorsFloat32))
        let resident = try reader.residentMappedByteCount()
        #expect(resident <= reader.header.fileByteCount - rows.storedByteCount)
        reader.rowFile!.dropCachedRows()
        var row = [Float](repeating: 0, count: Self.dimension)
        #expect(row.withUnsafeMutableBufferPointer { reader.rowFile!.readRow(5, into: $0.baseAddress!) })
        #expect(!row.withUnsafeMutableBufferPointer { reader.rowFile!.readRow(2_000, into: $0.baseAddress!) })
        let cached = try reader.pageCacheByteCount(of: .vectorsFloat32)
        #expect(cached >= 4096 && cached <= rows.storedByteCount + 4096)
    }

    @Test("verify reads the unmapped Float32 rows and names the file when one of their bytes is flipped")
    func verifyCatchesDamagedRows() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("s.vseg")
        try Self.write(Self.builtIndex(rows: 1_200, storage: .int8), to: path)
        try SegmentReader(path: path, rowAccess: .readOnDemand).verify()
        let offset = try #require(SegmentReader(path: path).block(of: .vectorsFloat32)).offset + 777
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64(offset))
        let byte = try #require(try handle.read(upToCount: 1)).first!
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: [byte ^ 0x10])
        try handle.close()
        let reader = try SegmentReader(path: path, rowAccess: .readOnDemand)
        let error = #expect(throws: StorageError.self) { try reader.verify() }
        #expect(error?.code == .corrupt)
        #expect(error?.path == path)
    }

    @Test("an int8 collection serves its segments in low-RAM mode through flush, reopen, compaction and verify")
    func collectionRoundTrip() throws {
        let dir = TemporaryDirectory()
        let configuration = CollectionConfiguration(
            name: "docs",
            parameters: HNSWParameters(dimension: Self.dimension, metric: .cosine, m: 6, efConstruction: 24,
                                       storage: .int8),
            syncPolicy: .perWrite, flushRowCount: 1_500, pageByteCount: 4096, buildThreads: 1)
        var generator = SeededGenerator(seed: 5)
        var model: [UInt64: [Float]] = [:]
        do {
            let collection = try VectorCollection(path: dir.path, configuration: configuration)
            for id in 0..<UInt64(3_200) {
                let vector = (0..<Self.dimension).map { _ in Float(generator.next() >> 40) / Float(1 << 24) - 0.5 }
                model[id] = vector
                _ = try collection.upsert(id: id, vector: vector)
            }
            try collection.flush()
            for id in stride(from: UInt64(0), to: 3_200, by: 3) {
                _ = try collection.delete(id: id)
                model[id] = nil
            }
            #expect(try collection.compact() != nil)
        }
        let reopened = try VectorCollection(path: dir.path, configuration: configuration)
        let stored = try #require(try reopened.vector(id: 4))
        let norm = model[4]!.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for (a, b) in zip(stored, model[4]!.map { $0 / norm }) { #expect(abs(a - b) < 1e-6) }
        var found = 0
        for query in Self.queries(20) {
            let truth = Set(
                model.map { id, v in (id, 1 - zip(query, v).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                    / (query.reduce(0) { $0 + $1 * $1 }.squareRoot() * v.reduce(0) { $0 + $1 * $1 }.squareRoot())) }
                    .sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(10).map(\.0))
            found += try reopened.search(query, k: 10, efSearch: 100).filter { truth.contains($0.id) }.count
        }
        #expect(Double(found) / 200 >= 0.9)
        let report = StorageVerifier.verify(DataDirectory(path: dir.path))
        #expect(report.isClean, "\(report.problems)")
        #expect(report.segmentCount >= 1)
    }
}

import Testing
import VecdIndex
import VecdKernels

@testable import VecdStorage
import VecdTestSupport

@Suite("Segment files")
struct SegmentTests {
    static let pageSizes = [4096, 16384, 65536]

    @Test(
        "a segment reads back every buffer bit for bit, page-aligned, at 4, 16 and 64 KiB pages",
        arguments: pageSizes, VectorStorageMode.allCases)
    func roundTrip(pageByteCount: Int, storage: VectorStorageMode) throws {
        let dir = TemporaryDirectory()
        let fixture = SegmentFixture(rows: 300, storage: storage)
        let path = dir.file("a.vseg")
        try fixture.write(to: path, pageByteCount: pageByteCount, segmentID: 77)
        let segment = try SegmentReader(path: path)
        #expect(segment.header.pageByteCount == pageByteCount)
        #expect(segment.header.parameters == fixture.parameters)
        #expect(segment.header.rowCount == 300 && segment.header.segmentID == 77)
        #expect(segment.header.entryPoint == fixture.entryPoint)
        #expect(Array(segment.vectorFloats) == fixture.vectors)
        #expect(Array(segment.groundLinkWords) == fixture.groundLinks)
        #expect(Array(segment.levels) == fixture.levels)
        #expect(try segment.upperLinks() == fixture.upperLinks)
        #expect(try segment.ids() == fixture.ids)
        #expect(segment.compactVectors.map(Array.init) == (storage == .float32 ? nil : fixture.compact))
        #expect(try segment.quantizer() == fixture.quantizer)
        for block in segment.blocks { #expect(block.offset % pageByteCount == 0) }
        #expect(segment.header.fileByteCount % pageByteCount == 0)
        // Used in place: the vectors sit in the mapping on a page boundary.
        #expect(Int(bitPattern: segment.vectors.baseAddress) % 4096 == 0)
        try segment.verify()
    }

    @Test("byte-string ids and an empty segment round-trip")
    func byteIDsAndEmpty() throws {
        let dir = TemporaryDirectory()
        let fixture = SegmentFixture(rows: 50, byteIDs: true)
        try fixture.write(to: dir.file("b.vseg"))
        let segment = try SegmentReader(path: dir.file("b.vseg"))
        #expect(try segment.ids() == fixture.ids)
        #expect(try segment.ids()[7] == .bytes(Array("doc-7-xx".utf8)))
        let empty = SegmentFixture(rows: 0)
        try empty.write(to: dir.file("e.vseg"))
        let reopened = try SegmentReader(path: dir.file("e.vseg"))
        #expect(reopened.header.rowCount == 0 && reopened.header.entryPoint == nil && reopened.vectors.isEmpty)
        try reopened.verify()
    }

    @Test("sequential ids are LZ4-compressed; the vectors block never is")
    func compression() throws {
        let dir = TemporaryDirectory()
        try SegmentFixture(rows: 2000).write(to: dir.file("c.vseg"))
        let segment = try SegmentReader(path: dir.file("c.vseg"))
        let ids = try #require(segment.block(of: .idMap))
        #expect(ids.isCompressed && ids.storedByteCount <= ids.rawByteCount - ids.rawByteCount / 8)
        #expect(segment.block(of: .vectorsFloat32)?.isCompressed == false)
        #expect(try segment.ids().count == 2000)
    }

    @Test("buffers of the wrong size are refused and nothing is written")
    func writerValidation() throws {
        let dir = TemporaryDirectory()
        var fixture = SegmentFixture(rows: 10)
        fixture.vectors.removeLast()
        let error = caught { try fixture.write(to: dir.file("bad.vseg")) }
        #expect(error?.code == .invalidArgument && error?.detail.contains("vectors") == true)
        let badPage = SegmentFixture(rows: 10)
        #expect(caught { try badPage.write(to: dir.file("bad.vseg"), pageByteCount: 3000) }?.code == .invalidArgument)
        #expect(try FileSystem.listDirectory(dir.path).isEmpty)
    }

    @Test("an unknown block kind is refused unless flagged skippable")
    func unknownBlocks() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("u.vseg")
        try SegmentFixture(rows: 20).write(to: path, pageByteCount: 4096)
        var bytes = try FileSystem.readFile(path)
        // Rename the last block (ids) to kind 99, fixing up the table checksum so only the kind differs.
        let segment = try SegmentReader(path: path)
        let entry = SegmentHeader.byteCount + (segment.blocks.count - 1) * SegmentBlock.byteCount
        bytes[entry] = 99
        func reseal(_ bytes: inout [UInt8]) {
            let tableCRC = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[128..<4096])) }
            withUnsafeBytes(of: tableCRC.littleEndian) { for i in 0..<4 { bytes[92 + i] = $0[i] } }
            let headerCRC = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<124])) }
            withUnsafeBytes(of: headerCRC.littleEndian) { for i in 0..<4 { bytes[124 + i] = $0[i] } }
        }
        reseal(&bytes)
        try FileSystem.atomicReplace(path: path, data: bytes)
        let error = caught { _ = try SegmentReader(path: path) }
        #expect(error?.code == .versionTooNew && error?.path == path)
        bytes[entry + 4] |= UInt8(SegmentBlock.skippableFlag)
        reseal(&bytes)
        try FileSystem.atomicReplace(path: path, data: bytes)
        // Skipped, so the segment now lacks its id map: refused for that reason instead.
        let missing = caught { _ = try SegmentReader(path: path) }
        #expect(missing?.code == .corrupt && missing?.detail.contains("blocks") == true)
    }
}

import Foundation
import Testing
import VecdBench
import VecdStorage
import VecdTestSupport

@Suite("Checksums, byte order and atomic replace")
struct PrimitivesTests {
    @Test("CRC-32C matches the published check values (RFC 3720 B.4 and the '123456789' check)")
    func knownVectors() {
        #expect(CRC32C.checksum([UInt8]()) == 0)
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
    }

    @Test("CRC-32C computed in pieces equals the checksum of the whole, at every split and length")
    func incremental() {
        var rng = SeededGenerator(seed: 7)
        let data = (0..<301).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let whole = CRC32C.checksum(data)
        data.withUnsafeBytes { raw in
            for split in [0, 1, 7, 8, 9, 63, 150, 300, 301] {
                let first = CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[0..<split]))
                #expect(CRC32C.update(first, UnsafeRawBufferPointer(rebasing: raw[split...])) == whole)
            }
        }
        // The slicing-by-8 path and the byte-at-a-time tail agree: a bitwise reference for every length.
        for length in 0...40 {
            #expect(CRC32C.checksum(data.prefix(length)) == bitwiseCRC32C(Array(data.prefix(length))))
        }
    }

    @Test("little-endian fields round-trip and a short read names the file and offset")
    func byteOrder() throws {
        var writer = ByteWriter()
        writer.append(UInt8(0xAB))
        writer.append(UInt16(0x0102))
        writer.append(UInt32(0x0304_0506))
        writer.append(UInt64(0x0708_090A_0B0C_0D0E))
        writer.append(Float(1.5))
        #expect(writer.bytes[1...2] == [0x02, 0x01])
        #expect(writer.bytes[3...6] == [0x06, 0x05, 0x04, 0x03])
        try writer.bytes.withUnsafeBytes { (raw) throws -> Void in
            var reader = ByteReader(raw, path: "x.bin")
            #expect(try reader.readUInt8() == 0xAB)
            #expect(try reader.readUInt16() == 0x0102)
            #expect(try reader.readUInt32() == 0x0304_0506)
            #expect(try reader.readUInt64() == 0x0708_090A_0B0C_0D0E)
            #expect(try reader.readFloat() == 1.5)
            let error = caught { _ = try reader.readUInt8() }
            #expect(error?.code == .corrupt && error?.path == "x.bin" && error?.offset == 19)
        }
    }

    @Test("atomic replace leaves the new content and no temporary file")
    func atomicReplace() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("state")
        try FileSystem.atomicReplace(path: path, data: [1, 2, 3])
        try FileSystem.atomicReplace(path: path, data: [4, 5])
        #expect(try FileSystem.readFile(path) == [4, 5])
        #expect(try FileSystem.listDirectory(dir.path) == ["state"])
    }

    @Test("atomic replace into a missing directory names the path and errno")
    func atomicReplaceError() {
        let dir = TemporaryDirectory()
        let path = dir.file("missing/state")
        let error = caught { try FileSystem.atomicReplace(path: path, data: [1]) }
        #expect(error?.code == .notFound)
        #expect(error?.path.hasPrefix(path) == true)
        #expect(error?.errno == ENOENT)
        #expect(error?.description.contains("No such file") == true)
    }
}

/// The textbook bit-at-a-time CRC-32C, as an independent oracle for the table method.
func bitwiseCRC32C(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    }
    return ~crc
}

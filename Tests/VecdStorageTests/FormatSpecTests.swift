import Foundation
import Testing
import VecdIndex

@testable import VecdStorage
import VecdTestSupport

/// The specs in `formats/` and the code cannot drift apart: each spec's hexdump is compared with the bytes the real
/// writer produces, and each byte table is checked against a real file (offsets contiguous, every byte accounted for,
/// each field holding the value the writer was given).
@Suite("Format specs match the writers")
struct FormatSpecTests {
    static let formatsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("formats").path

    static func goldenBytes(_ name: String) throws -> [UInt8] {
        let dir = TemporaryDirectory()
        switch name {
        case "wal": return try GoldenFiles.wal(in: dir.file("wal"))
        case "manifest":
            try GoldenFiles.manifest.save(directory: dir.path)
            return try FileSystem.readFile(Manifest.path(in: dir.path))
        case "bitmap": return GoldenFiles.bitmap.encoded()
        case "segment":
            try GoldenFiles.segment(to: dir.file("seg-1.vseg"))
            return try FileSystem.readFile(dir.file("seg-1.vseg"))
        default: fatalError("no golden file \(name)")
        }
    }

    @Test(
        "the hexdump in each spec is what the writer produces",
        arguments: [
            ("wal.md", "wal"), ("manifest.md", "manifest"), ("manifest.md", "bitmap"), ("segment.md", "segment"),
        ])
    func hexdumps(spec: String, name: String) throws {
        let bytes = try Self.goldenBytes(name)
        let dump = canonicalHexdump(bytes)
        if let out = ProcessInfo.processInfo.environment["VECD_GOLDEN_OUT"] {
            try dump.write(toFile: "\(out)/\(name).hexdump", atomically: true, encoding: .utf8)
        }
        let markdown = try String(contentsOfFile: Self.formatsDirectory + "/" + spec, encoding: .utf8)
        let block = try #require(
            Self.fencedBlock(after: "<!-- golden: \(name) -->", in: markdown), "spec lacks the \(name) hexdump")
        #expect(block == dump)
    }

    @Test(
        "the hexdump formatter matches hexdump -C",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/hexdump")))
    func formatterMatchesTool() throws {
        let dir = TemporaryDirectory()
        let bytes = try Self.goldenBytes("segment") + [1, 2, 3]
        try Data(bytes).write(to: URL(fileURLWithPath: dir.file("x")))
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/hexdump")
        process.arguments = ["-C", dir.file("x")]
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(output.trimmingCharacters(in: .newlines) == canonicalHexdump(bytes))
    }

    /// The text of the fenced code block that follows `marker`.
    static func fencedBlock(after marker: String, in markdown: String) -> String? {
        guard let range = markdown.range(of: marker) else { return nil }
        let lines = markdown[range.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
        guard let open = lines.firstIndex(where: { $0.hasPrefix("```") }) else { return nil }
        guard let close = lines[(open + 1)...].firstIndex(where: { $0.hasPrefix("```") }) else { return nil }
        return lines[(open + 1)..<close].joined(separator: "\n")
    }
}

/// One row of a spec's byte table.
struct SpecField: Equatable {
    var offset: Int
    var size: Int
    var type: String
    var name: String
}

extension FormatSpecTests {
    /// Rows of the byte table that follows `<!-- table: name -->` in `spec`.
    static func table(_ name: String, in spec: String) throws -> [SpecField] {
        let markdown = try String(contentsOfFile: formatsDirectory + "/" + spec, encoding: .utf8)
        guard let range = markdown.range(of: "<!-- table: \(name) -->") else { return [] }
        var fields: [SpecField] = []
        for line in markdown[range.upperBound...].split(separator: "\n").dropFirst(2) {
            guard line.hasPrefix("|") else { break }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let offset = Int(cells[0]), let size = Int(cells[1]) else { break }  // variable-size tail
            fields.append(SpecField(offset: offset, size: size, type: cells[2], name: cells[3]))
        }
        return fields
    }

    /// The spec tables checked against the golden files: (spec, table, golden file, where the structure starts,
    /// its fixed size, and the value each named field must hold).
    static let tables: [(String, String, String, Int, Int, [String: UInt64])] = [
        (
            "wal.md", "wal-file-header", "wal", 0, 32,
            ["major": 1, "minor": 0, "headerByteCount": 32, "firstSequence": 1]
        ),
        ("wal.md", "wal-record-header", "wal", 32, 20, ["payloadByteCount": 32, "sequence": 1, "type": 1]),
        (
            "manifest.md", "manifest-header", "manifest", 0, 32,
            ["major": 2, "minor": 0, "collectionCount": 1, "generation": 1, "fileByteCount": 123]
        ),
        (
            "manifest.md", "manifest-collection", "manifest", 32, 32,
            [
                "id": 1, "dimension": 2, "metric": 0, "nameByteCount": 4, "segmentCount": 1, "coveredSequence": 3,
                "externalSequence": 5,
            ]
        ),
        (
            "manifest.md", "manifest-segment", "manifest", 68, 32,
            ["segmentID": 1, "rowCount": 2, "deletedCount": 1, "fileNameByteCount": 10, "deletionFileNameByteCount": 9]
        ),
        (
            "manifest.md", "bitmap-header", "bitmap", 0, 40,
            ["major": 1, "minor": 0, "segmentID": 1, "rowCount": 2, "deletedCount": 1]
        ),
        (
            "segment.md", "segment-header", "segment", 0, SegmentHeader.byteCount,
            [
                "major": 1, "minor": 0, "byteOrderMark": 0x0102_0304, "headerByteCount": 128, "pageByteCount": 4096,
                "metric": 0, "elementType": 0, "flags": 0, "dimension": 2, "rowCount": 2, "m": 2, "efConstruction": 4,
                "seed": 1, "entryPoint": 0, "entryLevel": 1, "upperRecordCount": 1, "segmentID": 1,
                "fileByteCount": 0x6000, "blockCount": 5,
            ]
        ),
        (
            "segment.md", "segment-block", "segment", SegmentHeader.byteCount, SegmentBlock.byteCount,
            ["kind": 1, "flags": 0, "offset": 4096, "storedByteCount": 16, "rawByteCount": 16]
        ),
    ]

    @Test(
        "every spec byte table accounts for each byte of its structure, and the writer puts each field where the table says",
        arguments: 0..<tables.count)
    func byteTables(index: Int) throws {
        let (spec, name, golden, base, byteCount, values) = Self.tables[index]
        let fields = try Self.table(name, in: spec)
        let bytes = try Self.goldenBytes(golden)
        #expect(!fields.isEmpty, "\(spec) lacks table \(name)")
        var next = 0
        for field in fields {
            #expect(field.offset == next, "\(name).\(field.name) starts at \(field.offset), expected \(next)")
            next = field.offset + field.size
            let range = (base + field.offset)..<(base + field.offset + field.size)
            let raw = Array(bytes[range])
            if field.name == "reserved" || field.name == "flags" && name == "segment-header" {
                #expect(raw.allSatisfy { $0 == 0 }, "\(name).\(field.name) must be zero")
            }
            if field.name == "magic" { #expect(raw == Array(bytes[0..<8])) }
            guard let expected = values[field.name] else { continue }
            #expect(["u8", "u16", "u32", "u64"].contains(field.type) && field.size == Int(field.type.dropFirst())! / 8)
            let value = raw.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            #expect(value == expected, "\(name).\(field.name) holds \(value), the writer was given \(expected)")
        }
        #expect(next == byteCount, "\(name) covers \(next) bytes, the structure has \(byteCount)")
        #expect(Set(values.keys).isSubset(of: Set(fields.map(\.name))), "\(name) lacks a field the test checks")
    }
}

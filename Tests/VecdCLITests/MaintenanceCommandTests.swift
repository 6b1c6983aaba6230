import Foundation
import Testing

/// `vecd compact|reindex|verify|backup|restore|stats` against a real store made by `vecd debug write-load`.
@Suite("Maintenance commands")
struct MaintenanceCommandTests {
    /// The `vecd` beside the test runner (also under a custom `--scratch-path`), else ``VecdBinary/path``.
    static let binary: String = {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let beside = runner.appendingPathComponent("vecd").path
        return FileManager.default.isExecutableFile(atPath: beside) ? beside : VecdBinary.path
    }()

    /// Runs `vecd` with `arguments` to completion, in `environment` when given (else this process's).
    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> VecdBinary.Output {
        try VecdBinary.run(arguments, executable: binary, environment: environment)
    }

    /// A store of 60 memories (some deleted) in a new directory.
    static func makeStore() throws -> URL {
        let directory = try VecdBinary.temporaryDirectory().appendingPathComponent("store")
        let made = try Self.run(["debug", "write-load", "--data", directory.path, "--count", "60"])
        #expect(made.status == 0, "\(made.stderr)")
        return directory
    }

    @Test("verify, compact, stats, backup, restore and reindex succeed on a sound store")
    func soundStore() throws {
        let store = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: store.deletingLastPathComponent()) }
        let verify = try Self.run(["verify", "--data", store.path])
        #expect(verify.status == 0 && verify.stdout.contains("verify: ok"), "\(verify.stdout)\(verify.stderr)")
        let compact = try Self.run(["compact", "--data", store.path])
        #expect(compact.status == 0 && compact.stdout.contains("[1/1] _memories: merged"), "\(compact.stdout)")
        let stats = try Self.run(["stats", "--data", store.path])
        #expect(stats.status == 0 && stats.stdout.contains("1 segments (52 rows, 0 deleted)"), "\(stats.stdout)")
        let backup = store.deletingLastPathComponent().appendingPathComponent("backup")
        let restored = store.deletingLastPathComponent().appendingPathComponent("restored")
        #expect(try Self.run(["backup", "--data", store.path, "--out", backup.path]).status == 0)
        let restore = try Self.run(["restore", "--from", backup.path, "--data", restored.path])
        #expect(restore.status == 0, "\(restore.stderr)")
        let reindex = try Self.run(["reindex", "--data", restored.path])
        #expect(reindex.status == 0 && reindex.stdout.contains("rebuilt 52 vectors"), "\(reindex.stdout)")
    }

    @Test("verify exits 1 and names the file when a segment's vector block is damaged")
    func damagedSegment() throws {
        let store = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: store.deletingLastPathComponent()) }
        let collections = store.appendingPathComponent("collections").path
        let collection = try #require(try FileManager.default.contentsOfDirectory(atPath: collections).first)
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: collections + "/" + collection)
                .first { $0.hasSuffix(".vseg") })
        let path = collections + "/" + collection + "/" + name
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[16_384 + 3] ^= 0x55  // inside the vector block, which the open maps without reading
        try bytes.write(to: URL(fileURLWithPath: path))
        let verify = try Self.run(["verify", "--data", store.path])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("DAMAGED") && verify.stdout.contains(name), "\(verify.stdout)")
    }

    @Test("a command fails at once with exit 2, naming the holder, while another process holds the directory")
    func lockedDirectory() throws {
        let store = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: store.deletingLastPathComponent()) }
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: Self.binary)
        writer.arguments = ["debug", "write-load", "--data", store.path, "--seed", "2"]
        let pipe = Pipe()
        writer.standardOutput = pipe
        try writer.run()
        defer {
            writer.terminate()
            writer.waitUntilExit()
        }
        // The writer holds the lock once it printed its first acknowledged id.
        _ = pipe.fileHandleForReading.availableData
        let compact = try Self.run(["compact", "--data", store.path])
        #expect(compact.status == 2)
        #expect(compact.stderr.contains("open for writing by process \(writer.processIdentifier)"), "\(compact.stderr)")
    }

    @Test("a directory without a store is refused")
    func noStore() throws {
        let directory = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let stats = try Self.run(["stats", "--data", directory.path])
        #expect(stats.status != 0 && stats.stderr.contains("no vecd store"), "\(stats.stderr)")
    }
}

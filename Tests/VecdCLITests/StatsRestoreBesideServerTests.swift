import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `vecd stats --data DIR` beside a real `vecd serve` over DIR reads the server's live figures; `vecd restore` into
/// a directory the server holds is refused, naming it.
@Suite("stats and restore beside a running server")
struct StatsRestoreBesideServerTests {
    /// The collection's line without its trailing file size, which the server's open files may change.
    static func collectionLine(_ output: String, _ name: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix(name + ":") }
            .map { line in String(line[..<(line.range(of: " unflushed, ")?.lowerBound ?? line.endIndex)]) }
    }

    @Test("stats through the server prints the local run's lines, live rows included, and exits 0")
    func statsThroughTheServer() async throws {
        let root = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        let child = try VecdServeChild.start(["--data", data.path, "--port", "0"])
        _ = try await ServerHandoffTests.addMemories(child, count: 12)

        let live = try ServerHandoffTests.run(["stats", "--data", data.path])
        #expect(live.status == 0, "\(live.stdout)\(live.stderr)")
        #expect(live.stderr.contains(ServerHandoffTests.handedOff), "\(live.stderr)")
        #expect(live.stderr.contains("process \(child.process.processIdentifier)"), "\(live.stderr)")
        #expect(live.stdout.hasPrefix("database: "), "\(live.stdout)")
        // Rows only in the collection's log so far: stored and indexed, not yet in a segment.
        #expect(live.stdout.contains("12 stored, 12 indexed, 0 segments (0 rows, 0 deleted), 12 unflushed"))

        #expect(try ServerHandoffTests.run(["compact", "--data", data.path]).status == 0)
        let compacted = try ServerHandoffTests.run(["stats", "--data", data.path])
        #expect(compacted.status == 0, "\(compacted.stderr)")
        let served = try #require(Self.collectionLine(compacted.stdout, "_memories"), "\(compacted.stdout)")
        #expect(served.hasSuffix("12 stored, 12 indexed, 1 segments (12 rows, 0 deleted), 0"), "\(served)")
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0, "log: \(child.log)")

        // With the server gone the command opens the store itself and prints the same collection line.
        let local = try ServerHandoffTests.run(["stats", "--data", data.path])
        #expect(local.status == 0, "\(local.stderr)")
        #expect(!local.stderr.contains(ServerHandoffTests.handedOff))
        #expect(Self.collectionLine(local.stdout, "_memories") == served, "\(local.stdout)")
    }

    @Test("stats beside a server with keys: none exits 2, a read key is refused with exit 2, an admin key works")
    func statsNeedsAnAdminKey() async throws {
        let root = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        let keys = #"[{"key":"admin-key-0123456789","tenant":"t1","role":"admin"},{"key":"read-key-0123456789","tenant":"t1","role":"read"}]"#
        let child = try VecdServeChild.start(["--data", data.path, "--port", "0"], environment: ["VECD_API_KEYS": keys])
        _ = try await ServerHandoffTests.addMemories(child, count: 3, key: "admin-key-0123456789")

        let keyless = try ServerHandoffTests.run(["stats", "--data", data.path])
        #expect(keyless.status == 2 && keyless.stdout.isEmpty)
        #expect(keyless.stderr.contains("needs an admin API key"), "\(keyless.stderr)")
        let reader = try ServerHandoffTests.run(
            ["stats", "--data", data.path], environment: ["VECD_API_KEY": "read-key-0123456789"])
        #expect(reader.status == 2 && reader.stderr.contains("refused the API key"), "\(reader.stderr)")
        let admin = try ServerHandoffTests.run(
            ["stats", "--data", data.path, "--api-key", "admin-key-0123456789"])
        #expect(admin.status == 0 && admin.stdout.contains("3 stored, 3 indexed"), "\(admin.stdout)\(admin.stderr)")
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
    }

    @Test("restore into the directory a server holds is refused naming the server; into a new one it works")
    func restoreBesideTheServer() async throws {
        let root = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        let child = try VecdServeChild.start(["--data", data.path, "--port", "0"])
        _ = try await ServerHandoffTests.addMemories(child, count: 5)
        let backup = root.appendingPathComponent("backup")
        #expect(try ServerHandoffTests.run(["backup", "--data", data.path, "--out", backup.path]).status == 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: data.path).sorted()
        let statsBefore = try ServerHandoffTests.run(["stats", "--data", data.path])
        #expect(statsBefore.stdout.contains("5 stored, 5 indexed"), "\(statsBefore.stdout)")

        let refused = try ServerHandoffTests.run(["restore", "--from", backup.path, "--data", data.path])
        #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
        #expect(
            refused.stderr.contains("held by the running server at http://127.0.0.1:\(child.port) "
                + "(process \(child.process.processIdentifier))"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path).sorted() == before)
        let stats = try ServerHandoffTests.run(["stats", "--data", data.path])
        #expect(stats.status == 0 && stats.stdout == statsBefore.stdout, "the server's store is untouched")
        let found = try await child.request("GET", "/memory/search?query=pump%20replaced&limit=3")
        #expect(found.status == 200 && String(decoding: found.body, as: UTF8.self).contains("handoff note"))

        let copy = root.appendingPathComponent("copy")
        let restored = try ServerHandoffTests.run(["restore", "--from", backup.path, "--data", copy.path])
        #expect(restored.status == 0, "\(restored.stderr)")
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
        let copied = try ServerHandoffTests.run(["stats", "--data", copy.path])
        #expect(copied.stdout.contains("5 stored, 5 indexed"), "\(copied.stdout)\(copied.stderr)")
    }
}

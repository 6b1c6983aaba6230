import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `vecd compact|reindex|verify|backup|export --data DIR` beside a real `vecd serve` over DIR: the work goes to the
/// server through its admin API; a stale address file or no server means the command opens the store itself.
@Suite("Maintenance commands hand off to a running server")
struct ServerHandoffTests {
    /// Runs `vecd arguments…` with extra environment variables (and no inherited `VECD_*`).
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> VecdBinary.Output {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VECD_") }
        env.merge(environment) { _, new in new }
        return try MaintenanceCommandTests.run(arguments, environment: env)
    }

    /// Adds `count` distinct memories through the server; returns their contents.
    static func addMemories(_ child: VecdServeChild, count: Int, key: String? = nil) async throws -> [String] {
        var contents: [String] = []
        for number in 0..<count {
            let content = "handoff note \(number): the pump in room \(number * 7 + 3) was replaced on day \(number)"
            var request = URLRequest(url: child.baseURL.appendingPathComponent("memory/add"))
            request.httpMethod = "POST"
            request.httpBody = try JSONSerialization.data(withJSONObject: ["content": content, "tags": ["handoff"]])
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
            let (_, response) = try await URLSession.shared.data(for: request)
            #expect((response as? HTTPURLResponse)?.statusCode == 201)
            contents.append(content)
        }
        return contents
    }

    static let handedOff = "handing the work to it"

    @Test("verify, compact, reindex and backup run in the server, print its progress, and the server keeps serving")
    func eachCommandThroughTheServer() async throws {
        let root = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        let child = try VecdServeChild.start(["--data", data.path, "--port", "0"])
        let contents = try await Self.addMemories(child, count: 12)

        // The memories are only in SQLite and the collection's log so far: verify counts them as stored and indexed.
        let verify = try Self.run(["verify", "--data", data.path])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stderr.contains(Self.handedOff) && verify.stderr.contains("process \(child.process.processIdentifier)"))
        #expect(verify.stdout.contains("_memories: 12 stored, 12 indexed"), "\(verify.stdout)")
        #expect(verify.stdout.hasSuffix("verify: ok\n"), "\(verify.stdout)")

        let compact = try Self.run(["compact", "--data", data.path])
        #expect(compact.status == 0, "\(compact.stderr)")
        #expect(compact.stdout.contains("[1/1] _memories: compacting"), "\(compact.stdout)")
        #expect(compact.stdout.contains("[1/1] _memories: "), "\(compact.stdout)")
        #expect(compact.stdout.contains("compacted "), "\(compact.stdout)")

        let reindex = try Self.run(["reindex", "--data", data.path])
        #expect(reindex.status == 0, "\(reindex.stderr)")
        #expect(reindex.stdout.contains("[1/1] _memories: rebuilt 12 vectors") && reindex.stdout.contains("reindexed"))

        let backup = root.appendingPathComponent("backup")
        let backedUp = try Self.run(["backup", "--data", data.path, "--out", backup.path])
        #expect(backedUp.status == 0, "\(backedUp.stderr)")
        #expect(backedUp.stdout.contains("backup written to \(backup.path)"), "\(backedUp.stdout)")

        let found = try await child.request("GET", "/memory/search?query=pump%20replaced&limit=3")
        #expect(found.status == 200 && String(decoding: found.body, as: UTF8.self).contains("handoff note"))
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0, "log: \(child.log)")

        // The copy the server wrote is a whole store: it verifies on its own and holds every memory.
        let copy = try Self.run(["verify", "--data", backup.path])
        #expect(copy.status == 0 && copy.stdout.contains("_memories: 12 stored, 12 indexed"), "\(copy.stdout)")
        #expect(!copy.stderr.contains(Self.handedOff))
        #expect(contents.count == 12)
    }

    @Test("a failure in the server ends the command with exit 1 and the server's message, as the local run does")
    func serverFailureExitsNonZero() async throws {
        let root = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        let child = try VecdServeChild.start(["--data", data.path, "--port", "0"])
        _ = try await Self.addMemories(child, count: 3)
        let occupied = root.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: occupied.appendingPathComponent("note.txt"))

        let backup = try Self.run(["backup", "--data", data.path, "--out", occupied.path])
        #expect(backup.status == 1, "\(backup.stdout)\(backup.stderr)")
        #expect(backup.stderr.contains("from the server at http://127.0.0.1:\(child.port)"), "\(backup.stderr)")
        #expect(try String(contentsOf: occupied.appendingPathComponent("note.txt"), encoding: .utf8) == "keep me")
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
    }

    @Test("verify through the server exits 1 and names the segment file damaged under the running server")
    func damageFoundThroughTheServer() async throws {
        let root = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        let child = try VecdServeChild.start(["--data", data.path, "--port", "0"])
        _ = try await Self.addMemories(child, count: 30)
        #expect(try Self.run(["compact", "--data", data.path]).status == 0)  // writes the rows into a segment file
        let collections = data.appendingPathComponent("collections").path
        let collection = try #require(try FileManager.default.contentsOfDirectory(atPath: collections).first)
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: collections + "/" + collection)
                .first { $0.hasSuffix(".vseg") })
        let handle = try #require(FileHandle(forUpdatingAtPath: collections + "/" + collection + "/" + name))
        try handle.seek(toOffset: 16_384 + 3)  // inside the vector block
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: 16_384 + 3)
        try handle.write(contentsOf: [byte ^ 0x55])
        try handle.close()

        let verify = try Self.run(["verify", "--data", data.path])
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stderr.contains(Self.handedOff))
        #expect(verify.stdout.contains("DAMAGED") && verify.stdout.contains(name), "\(verify.stdout)")
        #expect(verify.stdout.hasSuffix("verify: DAMAGE FOUND\n"))
        child.signal(SIGTERM)
        _ = child.waitForExit()
    }

    @Test("with API keys configured: no key exits 2 naming VECD_API_KEY, a read key is refused, an admin key works")
    func adminKey() async throws {
        let root = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        let keys = #"[{"key":"admin-key-0123456789","tenant":"t1","role":"admin"},{"key":"read-key-0123456789","tenant":"t1","role":"read"}]"#
        let child = try VecdServeChild.start(["--data", data.path, "--port", "0"], environment: ["VECD_API_KEYS": keys])
        _ = try await Self.addMemories(child, count: 2, key: "admin-key-0123456789")

        let keyless = try Self.run(["verify", "--data", data.path])
        #expect(keyless.status == 2)
        #expect(keyless.stderr.contains("needs an admin API key: set VECD_API_KEY"), "\(keyless.stderr)")
        let reader = try Self.run(["compact", "--data", data.path, "--api-key", "read-key-0123456789"])
        #expect(reader.status == 2)
        #expect(reader.stderr.contains("refused the API key"), "\(reader.stderr)")
        let admin = try Self.run(["verify", "--data", data.path], environment: ["VECD_API_KEY": "admin-key-0123456789"])
        #expect(admin.status == 0 && admin.stdout.contains("_memories: 2 stored, 2 indexed"), "\(admin.stdout)")
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
    }

    @Test("an address file left by a killed server is ignored: the command takes the lock and works on its own")
    func staleAddressFile() async throws {
        let root = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        let child = try VecdServeChild.start(["--data", data.path, "--port", "0"])
        _ = try await Self.addMemories(child, count: 5)
        child.signal(SIGKILL)
        _ = child.waitForExit()
        let file = data.appendingPathComponent("vecd.server.json")
        #expect(FileManager.default.fileExists(atPath: file.path), "kill -9 leaves the address file behind")

        let verify = try Self.run(["verify", "--data", data.path])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stderr.contains("ignoring a stale vecd.server.json"), "\(verify.stderr)")
        #expect(verify.stdout.contains("_memories: 5 stored, 5 indexed"), "\(verify.stdout)")
        let compact = try Self.run(["compact", "--data", data.path])
        #expect(compact.status == 0 && compact.stdout.contains("[1/1] _memories:"), "\(compact.stderr)")
    }

    @Test("an address file whose pid lives but whose address does not answer falls back to the directory lock")
    func addressThatDoesNotAnswer() throws {
        let root = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        #expect(try Self.run(["debug", "write-load", "--data", data.path, "--count", "10"]).status == 0)
        // This test process is alive but serves nothing; port 1 refuses connections.
        let record = #"{"auth":false,"format":1,"pid":\#(getpid()),"started_at":"2026-11-23T12:00:00.000Z","url":"http://127.0.0.1:1"}"#
        try Data(record.utf8).write(to: data.appendingPathComponent("vecd.server.json"))

        let verify = try Self.run(["verify", "--data", data.path])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stderr.contains("nothing answers at http://127.0.0.1:1"), "\(verify.stderr)")
        #expect(verify.stdout.contains("verify: ok"))
    }

    @Test("export sql beside a running server reads a consistent snapshot that includes the rows just written")
    func exportBesideTheServer() async throws {
        let root = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        let child = try VecdServeChild.start(["--data", data.path, "--port", "0"])
        let contents = try await Self.addMemories(child, count: 4)
        let out = root.appendingPathComponent("export.sql")

        let export = try Self.run(["export", "sql", "--data", data.path, "--out", out.path])
        #expect(export.status == 0, "\(export.stdout)\(export.stderr)")
        let sql = try String(contentsOf: out, encoding: .utf8)
        for content in contents { #expect(sql.contains(content)) }
        // The server was not disturbed: it still takes writes.
        _ = try await Self.addMemories(child, count: 1)
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
    }
}

import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `vecd verify --data DIR` with no server is a checker: it changes no byte of the store it checks (repairs belong to
/// `vecd reindex`), and a missing index file is named.
@Suite("vecd verify is read-only")
struct VerifyReadOnlyTests {
    /// A digest of every file of the store (SQLite's shared-memory index excluded: it is not the data).
    static func digest(_ directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        while let name = enumerator?.nextObject() as? String {
            let url = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                !name.hasSuffix("-shm")
            else { continue }
            files[name] = try Data(contentsOf: url)
        }
        return files
    }

    @Test("a store left by kill -9 (unflushed rows, a pending change log): verify says ok and changes no file; without a MANIFEST it exits 1 naming it")
    func verifyChangesNothing() async throws {
        let data = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let child = try VecdServeChild.start(["--data", data.path, "--port", "0"])
        _ = try await ServerHandoffTests.addMemories(child, count: 30)
        child.signal(SIGKILL)
        #expect(child.waitForExit() == SIGKILL)
        try? FileManager.default.removeItem(at: data.appendingPathComponent("vecd.server.json"))

        let before = try Self.digest(data)
        #expect(before.keys.contains { $0.hasSuffix("MANIFEST") })
        for round in 0..<3 {
            let verify = try ServerHandoffTests.run(["verify", "--data", data.path])
            #expect(verify.status == 0 && verify.stdout.hasSuffix("verify: ok\n"), "\(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("_memories: 30 stored, 30 indexed"), "\(verify.stdout)")
            #expect(try Self.digest(data) == before, "round \(round): verify changed the store's files")
        }

        let manifest = try #require(before.keys.first { $0.hasSuffix("MANIFEST") })
        try FileManager.default.removeItem(at: data.appendingPathComponent(manifest))
        let damaged = try Self.digest(data)
        let verify = try ServerHandoffTests.run(["verify", "--data", data.path])
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains(data.appendingPathComponent(manifest).path), "\(verify.stdout)")
        #expect(try Self.digest(data) == damaged, "verify repaired what it checks")
    }
}

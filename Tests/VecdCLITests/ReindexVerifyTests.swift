import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A nightly `vecd reindex` then `vecd verify` alarms for nothing: a rebuild that was asked for is reported on a line
/// of its own and is not damage, whether the server did it or the command itself; the progress lines count each
/// collection once, from 1.
@Suite("vecd reindex then verify")
struct ReindexVerifyTests {
    /// Three collections with rows: the store's memories and two document collections.
    static func fill(_ child: VecdServeChild) async throws {
        _ = try await ServerHandoffTests.addMemories(child, count: 6)
        for name in ["alpha", "beta"] {
            let created = try await child.request("POST", "/v1/collections", json: ["name": name])
            #expect(created.status == 201)
            let stored = try await child.request(
                "POST", "/v1/collections/\(name)/documents",
                json: ["wait": true, "documents": (0..<5).map { ["content": "\(name) document \($0) about lamps"] }])
            #expect(stored.status == 201, "\(String(decoding: stored.body, as: UTF8.self))")
        }
    }

    /// The `[n/total]` numbers of the lines about `step`, in order.
    static func numbers(_ output: String, step: String) -> [String] {
        output.split(separator: "\n").filter { $0.hasSuffix(step) || $0.contains(": \(step)") }.compactMap { line in
            line.split(separator: "]").first.map { String($0.dropFirst()) }
        }
    }

    static func checkProgress(_ output: String) {
        #expect(!output.contains("[0/"), "\(output)")
        let rebuilding = numbers(output, step: "rebuilding")
        #expect(rebuilding.count >= 3 && rebuilding == (1...rebuilding.count).map { "\($0)/\(rebuilding.count)" }, "\(output)")
        let rebuilt = output.split(separator: "\n").filter { $0.contains(": rebuilt ") }.compactMap {
            $0.split(separator: "]").first.map { String($0.dropFirst()) }
        }
        #expect(rebuilt == rebuilding, "\(output)")
    }

    @Test("reindex handed to a server, then verify: ok, exit 0, the rebuild on its own line")
    func throughTheServer() async throws {
        let data = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let child = try VecdServeChild.start(["--data", data.path, "--port", "0"])
        try await Self.fill(child)
        let reindex = try ServerHandoffTests.run(["reindex", "--data", data.path])
        #expect(reindex.status == 0, "\(reindex.stderr)")
        #expect(reindex.stderr.contains(ServerHandoffTests.handedOff))
        Self.checkProgress(reindex.stdout)
        let verify = try ServerHandoffTests.run(["verify", "--data", data.path])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.hasSuffix("verify: ok\n"), "\(verify.stdout)")
        #expect(!verify.stdout.contains("DAMAGE") && !verify.stdout.contains("unusable"), "\(verify.stdout)")
        #expect(verify.stdout.contains("alpha: index rebuilt by reindex (on request)"), "\(verify.stdout)")
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)

        // The same with no server: the command opens the store itself.
        let local = try ServerHandoffTests.run(["reindex", "--data", data.path])
        #expect(local.status == 0, "\(local.stderr)")
        Self.checkProgress(local.stdout)
        let localVerify = try ServerHandoffTests.run(["verify", "--data", data.path])
        #expect(localVerify.status == 0 && localVerify.stdout.hasSuffix("verify: ok\n"), "\(localVerify.stdout)")
    }
}

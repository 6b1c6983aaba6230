import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `vecd serve --ephemeral` deletes its store on every way out, tried many times each (a leftover that shows once
/// in ten stops is still a leftover): SIGTERM, SIGINT, a port already in use, a host it cannot bind. A store left by
/// an ephemeral server killed with SIGKILL is removed by the next ephemeral start, and a live server's never is.
@Suite("vecd serve --ephemeral cleanup", .serialized)
struct EphemeralCleanupTests {
    /// A private `$TMPDIR` for the children, so the test sees exactly the stores they make.
    static func temporaryParent() throws -> URL { try VecdBinary.temporaryDirectory() }

    static func stores(in parent: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []).filter { $0.hasPrefix("vecd-") }
            .sorted()
    }

    static func start(_ parent: URL, _ arguments: [String] = []) throws -> VecdServeChild {
        try VecdServeChild.start(["--ephemeral"] + arguments, environment: ["TMPDIR": parent.path])
    }

    /// Runs `vecd serve --ephemeral arguments…` to its exit; returns its status and stderr.
    static func runToExit(_ parent: URL, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: VecdBinary.path)
        process.arguments = ["serve", "--ephemeral"] + arguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VECD_") }
        environment["TMPDIR"] = parent.path
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
    }

    @Test("SIGTERM and SIGINT, 20 rounds each, with a write and an async job in flight: no store is left", arguments: [SIGTERM, SIGINT])
    func signalStops(signal: Int32) async throws {
        let parent = try Self.temporaryParent()
        defer { try? FileManager.default.removeItem(at: parent) }
        for round in 0..<20 {
            let child = try Self.start(parent)
            #expect(Self.stores(in: parent).count == 1, "round \(round): the running server's store is there")
            _ = try await child.request("POST", "/memory/add", json: ["content": "round \(round) lamp watts"])
            _ = try await child.request("POST", "/v1/collections", json: ["name": "kb"])
            _ = try await child.request(
                "POST", "/v1/collections/kb/documents",
                json: ["documents": (0..<50).map { ["content": "document \($0) of round \(round)"] }])
            child.signal(signal)
            #expect(child.waitForExit() == 0, "round \(round): \(child.log)")
            #expect(Self.stores(in: parent).isEmpty, "round \(round) left \(Self.stores(in: parent))")
        }
    }

    @Test("a port already in use, 20 rounds: the start fails and leaves no store")
    func bindFailure() throws {
        let parent = try Self.temporaryParent()
        defer { try? FileManager.default.removeItem(at: parent) }
        let holder = try Self.start(parent)
        let held = Self.stores(in: parent)
        #expect(held.count == 1)
        for round in 0..<20 {
            let outcome = try Self.runToExit(parent, ["--port", "\(holder.port)"])
            #expect(outcome.status != 0, "round \(round): a second server bound port \(holder.port)")
            #expect(Self.stores(in: parent) == held, "round \(round) left \(Self.stores(in: parent))")
        }
        holder.signal(SIGTERM)
        #expect(holder.waitForExit() == 0)
        #expect(Self.stores(in: parent).isEmpty)
    }

    @Test("a host it cannot bind, 20 rounds: the start fails and leaves no store")
    func startupFailure() throws {
        let parent = try Self.temporaryParent()
        defer { try? FileManager.default.removeItem(at: parent) }
        for round in 0..<20 {
            // A name that passes the loopback-only rule (it starts with 127.) but does not resolve: the store is
            // made, then binding fails.
            let outcome = try Self.runToExit(parent, ["--host", "127.0.0.1.invalid", "--port", "0"])
            #expect(outcome.status != 0, "round \(round): \(outcome.stderr)")
            #expect(Self.stores(in: parent).isEmpty, "round \(round) left \(Self.stores(in: parent))")
        }
    }

    @Test("a store left by a SIGKILLed ephemeral server is removed by the next ephemeral start, 20 rounds; a live server's is kept")
    func killedLeftoverIsRemoved() async throws {
        let parent = try Self.temporaryParent()
        defer { try? FileManager.default.removeItem(at: parent) }
        let live = try Self.start(parent)
        let liveStore = try #require(Self.stores(in: parent).first)
        for round in 0..<20 {
            let killed = try Self.start(parent)
            _ = try await killed.request("POST", "/memory/add", json: ["content": "round \(round)"])
            let before = Set(Self.stores(in: parent))
            killed.signal(SIGKILL)
            #expect(killed.waitForExit() == SIGKILL)
            // The premise: a SIGKILL leaves the store behind (nothing in the process could run).
            #expect(Set(Self.stores(in: parent)) == before, "round \(round)")
            let next = try Self.start(parent)
            let now = Set(Self.stores(in: parent))
            // The killed server's store is gone; the live server's and the new one's are there.
            #expect(now.count == 2 && now.contains(liveStore), "round \(round): \(now)")
            #expect(now.subtracting([liveStore]).isDisjoint(with: before), "round \(round): \(now) vs \(before)")
            next.signal(SIGTERM)
            #expect(next.waitForExit() == 0)
        }
        let reply = try await live.request("GET", "/healthz")
        #expect(reply.status == 200, "the live server still serves")
        #expect(Self.stores(in: parent) == [liveStore])
        live.signal(SIGTERM)
        #expect(live.waitForExit() == 0)
        #expect(Self.stores(in: parent).isEmpty)
    }
}

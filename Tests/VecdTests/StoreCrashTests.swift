import Foundation
import Synchronization
import Testing
import Vecd

/// kill -9 of a real `vecd debug write-load` process at random points: every acknowledged write survives, nothing
/// half-made appears, and the index agrees with SQLite.
@Suite("Store crash (kill -9)")
struct StoreCrashTests {
    /// The `vecd` executable built beside the tests (`swift test` builds every product).
    static var binary: String? {
        let bundle = Bundle.main.bundleURL.deletingLastPathComponent()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [
            runner.appendingPathComponent("vecd"), Bundle.main.bundleURL.appendingPathComponent("vecd"),
            bundle.appendingPathComponent("vecd"), bundle.deletingLastPathComponent().appendingPathComponent("vecd"),
            root.appendingPathComponent(".build/debug/vecd"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }?.path
    }

    /// What the writer acknowledged, from its complete stdout lines.
    struct Acknowledged {
        var added: Set<String> = []
        var deleted: Set<String> = []
        /// Deletes started but not acknowledged: the memory may or may not be gone.
        var inFlight: Set<String> = []

        mutating func read(_ text: String) {
            // Only newline-terminated lines count: a line cut by the kill was never acknowledged.
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            lines.removeLast()
            for line in lines {
                let parts = line.split(separator: " ")
                guard parts.count == 2 else { continue }
                let id = String(parts[1])
                switch parts[0] {
                case "added": added.insert(id)
                case "deleting": inFlight.insert(id)
                case "deleted":
                    deleted.insert(id)
                    inFlight.remove(id)
                default: continue
                }
            }
        }
    }

    @Test(
        "every acknowledged write survives kill -9 at random points, and the index agrees with SQLite",
        .enabled(if: binary != nil))
    func killNine() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-kill-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = SystemRandomNumberGenerator()
        var acknowledged = Acknowledged()
        for round in 1...5 {
            let target = Int.random(in: 10...80, using: &generator)
            let output = try Self.runAndKill(directory: directory, seed: UInt64(round), afterLines: target)
            acknowledged.read(output)
            try await Self.check(directory: directory, acknowledged: acknowledged, round: round)
        }
        #expect(acknowledged.added.count >= 50)
    }

    /// Starts the writer, waits (bounded) until it printed `afterLines` lines, then SIGKILLs it; returns its stdout.
    static func runAndKill(directory: URL, seed: UInt64, afterLines: Int) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary!)
        process.arguments = ["debug", "write-load", "--data", directory.path, "--seed", String(seed)]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let collected = Mutex(Data())
        let reader = pipe.fileHandleForReading
        reader.readabilityHandler = { handle in
            let chunk = handle.availableData
            collected.withLock { $0.append(chunk) }
        }
        try process.run()
        // A bound, not a timing assertion: the kill comes after `afterLines` lines or 30 s, whichever is first.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, process.isRunning,
            collected.withLock({ $0.count(where: { $0 == UInt8(ascii: "\n") }) }) < afterLines
        {
            usleep(2_000)
        }
        usleep(UInt32.random(in: 0...3_000))  // land anywhere inside the next write
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        reader.readabilityHandler = nil
        let rest = reader.readDataToEndOfFile()
        return String(decoding: collected.withLock { $0 } + rest, as: UTF8.self)
    }

    /// Reopens the store and checks it against what was acknowledged.
    static func check(directory: URL, acknowledged: Acknowledged, round: Int) async throws {
        var configuration = VecdStore.Configuration()
        configuration.indexFlushRowCount = 40
        let store = try VecdStore(directory: directory, configuration: configuration)
        for id in acknowledged.added.subtracting(acknowledged.deleted).subtracting(acknowledged.inFlight) {
            #expect(throws: Never.self, "round \(round): acknowledged memory \(id) is missing") {
                _ = try store.memory(id: id)
            }
        }
        for id in acknowledged.deleted {
            #expect(throws: VecdError.self, "round \(round): deleted memory \(id) came back") {
                _ = try store.memory(id: id)
            }
        }
        let report = try store.verify()
        #expect(report.isConsistent, "round \(round): \(report)")
        let stats = try store.stats()
        #expect(stats.collections.allSatisfy { $0.rebuildReason == nil }, "round \(round): \(stats)")
        let some = try store.memories(limit: 1).first
        if let some {
            // The index finds a stored memory by its own content's neighbourhood: search works after recovery.
            let hits = try await store.searchMemories(.vector(Self.probe), k: 3)
            #expect(!hits.isEmpty, "round \(round): search found nothing beside \(some.id)")
        }
    }

    static let probe = [Float](repeating: 0.5, count: 32)
}

import Foundation
import Synchronization
import Testing

/// kill -9 of `vecd serve --data DIR` while a client adds memories: every memory acknowledged with 201 is there
/// after a restart.
@Suite("vecd serve crash safety")
struct ServeCrashTests {
    /// Distinct memories (random word sentences, so none merges into another) from a seeded generator.
    struct Sentences {
        static let words = """
            amber basil cedar delta ember fjord garnet harbor indigo juniper kettle lantern meadow nickel orchid \
            pepper quartz raven saffron tundra umber violet willow xenon yarrow zephyr anchor beacon canyon dune \
            falcon glacier heron island jasper kelp lagoon marble nectar oasis pebble quill reef summit thistle
            """.split(separator: " ").map(String.init)
        var state: UInt64

        mutating func next() -> String {
            (0..<10).map { (_: Int) -> String in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Self.words[Int((state >> 33) % UInt64(Self.words.count))]
            }.joined(separator: " ")
        }
    }

    @Test("three rounds of kill -9 mid-write lose no acknowledged memory, and the store verifies")
    func killNineLosesNoAcknowledgedWrite() async throws {
        let directory = try VecdBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var sentences = Sentences(state: 42)
        var acknowledged: [(id: String, content: String)] = []
        for round in 0..<3 {
            let child = try VecdServeChild.start(["--data", directory.path, "--port", "0"])
            let batch = (0..<400).map { (_: Int) -> String in "round \(round): \(sentences.next())" }
            let target = 25
            // Two writers, so the kill lands with requests in flight; the test kills once `target` were acknowledged.
            let acks = AckLog()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<2 {
                    group.addTask {
                        for index in stride(from: writer, to: batch.count, by: 2) {
                            guard let reply = try? await child.request("POST", "/memory/add", json: ["content": batch[index]]),
                                reply.status == 201
                            else { return }
                            let object = try JSONSerialization.jsonObject(with: reply.body) as? [String: Any]
                            if let id = object?["id"] as? String { acks.append(id: id, content: batch[index]) }
                        }
                    }
                }
                // Bounded: a server that stops acknowledging fails the round instead of hanging it.
                for _ in 0..<30_000 where acks.count < target { try await Task.sleep(for: .milliseconds(2)) }
                #expect(acks.count >= target, "round \(round): only \(acks.count) writes acknowledged")
                child.signal(SIGKILL)
                try await group.waitForAll()
            }
            #expect(child.waitForExit() == SIGKILL)
            acknowledged += acks.entries
        }

        let child = try VecdServeChild.start(["--data", directory.path, "--port", "0"])
        var missing: [String] = []
        for memory in acknowledged {
            let query = memory.content.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let found = try await child.request("GET", "/memory/search?query=\(query)&limit=10")
            if !String(decoding: found.body, as: UTF8.self).contains(memory.id) { missing.append(memory.content) }
        }
        #expect(acknowledged.count >= 75)
        #expect(missing.isEmpty, "acknowledged but lost: \(missing)")
        let verify = try await child.request("GET", "/v1/admin/verify")
        let report = try JSONSerialization.jsonObject(with: verify.body) as? [String: Any]
        #expect(report?["consistent"] as? Bool == true, "\(String(decoding: verify.body, as: UTF8.self))")
        child.signal(SIGTERM)
        #expect(child.waitForExit() == 0)
    }
}

/// The acknowledged writes of one round, appended by both writer tasks.
final class AckLog: Sendable {
    private let stored = Mutex<[(id: String, content: String)]>([])

    func append(id: String, content: String) { stored.withLock { $0.append((id, content)) } }
    var count: Int { stored.withLock { $0.count } }
    var entries: [(id: String, content: String)] { stored.withLock { $0 } }
}

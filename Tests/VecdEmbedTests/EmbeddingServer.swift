import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The fixture embedding server (`Fixtures/embedding_server.py`) running as a child process on a free port.
///
/// Each test starts its own server, so tests run in parallel without sharing request counters.
final class EmbeddingServer: Sendable {
    let process: Process
    let stdin: Pipe
    let baseURL: URL

    struct Stats: Decodable {
        let requests: [String: Int]
        let batches: [String: [Int]]
        let auth: [String: String?]
    }

    init() throws {
        let script = try #require(Bundle.module.url(forResource: "Fixtures/embedding_server", withExtension: "py"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        try process.run()
        // The server prints its port once it listens; until then nothing is written.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let port = try #require(Int(text), "embedding server did not print its port: \(text)")
        self.process = process
        self.stdin = stdin
        baseURL = URL(string: "http://127.0.0.1:\(port)")!
    }

    deinit {
        // Closing stdin makes the server shut down; terminate covers a server stuck in a slow answer.
        try? stdin.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    func stats() async throws -> Stats {
        let (data, _) = try await URLSession.shared.data(from: baseURL.appendingPathComponent("stats"))
        return try JSONDecoder().decode(Stats.self, from: data)
    }
}

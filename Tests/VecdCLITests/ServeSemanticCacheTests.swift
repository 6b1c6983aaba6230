import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `vecd serve --ephemeral` as a real process: its store answers reworded requests from the semantic cache and
/// refuses opposite ones (QueryGuard behind the offline embedder's threshold).
@Suite("vecd serve: semantic cache")
struct ServeSemanticCacheTests {
    @Test("a paraphrase is a semantic hit and the opposite request a miss")
    func paraphraseHitsOppositeMisses() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: VecdBinary.path)
        process.arguments = ["serve", "--ephemeral", "--log-level", "warning"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let base = try #require(Self.listeningURL(output.fileHandleForReading))

        let put = try await Self.post(
            base, "/v1/cache", ["query": "turn on the kitchen lights", "response": "Kitchen lights are on"])
        #expect(put.status == 201)
        let paraphrase = try await Self.post(base, "/v1/cache/lookup", ["query": "switch the kitchen lights on"])
        #expect(paraphrase.body["hit"] as? Bool == true)
        #expect(paraphrase.body["match"] as? String == "semantic")
        let opposite = try await Self.post(base, "/v1/cache/lookup", ["query": "turn off the kitchen lights"])
        #expect(opposite.body["hit"] as? Bool == false)
    }

    /// The URL of the first stdout line, `vecd listening on http://HOST:PORT`.
    static func listeningURL(_ handle: FileHandle) -> URL? {
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            line.append(chunk)
        }
        let text = String(decoding: line.prefix { $0 != 0x0A }, as: UTF8.self)
        guard let range = text.range(of: "http://") else { return nil }
        return URL(string: String(text[range.lowerBound...]))
    }

    static func post(_ base: URL, _ path: String, _ json: [String: Any]) async throws
        -> (status: Int, body: [String: Any])
    {
        var request = URLRequest(url: base.appendingPathComponent(path))
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: json)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: request)
        let body = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, body)
    }
}

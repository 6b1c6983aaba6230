import Foundation
import Testing
import VecdEmbed

@Suite("HTTP embedders against a real local server")
struct HTTPEmbedderTests {
    private func embedder(
        _ server: EmbeddingServer, api: EmbeddingAPI, model: String, dimension: Int = 8,
        maxBatchSize: Int = 64, timeoutMilliseconds: Int = 5_000, maxRetries: Int = 3,
        apiKeyEnvironmentVariable: String? = nil, environment: [String: String] = [:]
    ) throws -> HTTPEmbedder {
        let configuration = HTTPEmbedderConfiguration(
            api: api, baseURL: server.baseURL, model: model, dimension: dimension, maxBatchSize: maxBatchSize,
            timeoutMilliseconds: timeoutMilliseconds, maxRetries: maxRetries, initialBackoffMilliseconds: 1,
            apiKeyEnvironmentVariable: apiKeyEnvironmentVariable)
        return try HTTPEmbedder(configuration: configuration, environment: environment)
    }

    @Test("returns one vector per text, in order", arguments: EmbeddingAPI.allCases)
    func success(api: EmbeddingAPI) async throws {
        let server = try EmbeddingServer()
        let embedder = try embedder(server, api: api, model: "ok-8")
        let texts = ["a", "bb", "ccc"]
        let vectors = try await embedder.embed(texts)
        #expect(vectors.count == 3)
        #expect(vectors.map(\.count) == [8, 8, 8])
        #expect(vectors.map { $0[0] } == [1, 2, 3])
        #expect(embedder.modelID == "\(api.rawValue):ok-8")
    }

    @Test("OpenAI data items are put back in input order by their index")
    func reordersByIndex() async throws {
        let server = try EmbeddingServer()
        let vectors = try await embedder(server, api: .openAICompatible, model: "shuffled-8").embed(["a", "bb", "ccc"])
        #expect(vectors.map { $0[0] } == [1, 2, 3])
    }

    @Test("splits a large call into batches of maxBatchSize, keeping order", arguments: EmbeddingAPI.allCases)
    func batching(api: EmbeddingAPI) async throws {
        let server = try EmbeddingServer()
        let texts = (1...10).map { String(repeating: "x", count: $0) }
        let vectors = try await embedder(server, api: api, model: "ok-4", dimension: 4, maxBatchSize: 4).embed(texts)
        #expect(vectors.map { $0[0] } == (1...10).map(Float.init))
        let stats = try await server.stats()
        #expect(stats.batches["ok-4"] == [4, 4, 2])
    }

    @Test("retries after 500s and succeeds", arguments: EmbeddingAPI.allCases)
    func retriesServerErrors(api: EmbeddingAPI) async throws {
        let server = try EmbeddingServer()
        let vectors = try await embedder(server, api: api, model: "fail500x2-8").embed(["hello"])
        #expect(vectors.count == 1)
        #expect(try await server.stats().requests["fail500x2-8"] == 3)
    }

    @Test("retries after a 429 and succeeds")
    func retriesRateLimit() async throws {
        let server = try EmbeddingServer()
        let vectors = try await embedder(server, api: .openAICompatible, model: "rate429x1-8").embed(["hello"])
        #expect(vectors.count == 1)
        #expect(try await server.stats().requests["rate429x1-8"] == 2)
    }

    @Test("gives up after maxRetries and reports the last status")
    func exhaustsRetries() async throws {
        let server = try EmbeddingServer()
        let embedder = try embedder(server, api: .ollama, model: "fail500x9-8", maxRetries: 2)
        await #expect {
            try await embedder.embed(["hello"])
        } throws: { error in
            guard case .httpStatus(_, 500, _) = error as? EmbedderError else { return false }
            return true
        }
        #expect(try await server.stats().requests["fail500x9-8"] == 3)
    }

    @Test("a 400 is not retried")
    func clientErrorIsFinal() async throws {
        let server = try EmbeddingServer()
        let embedder = try embedder(server, api: .openAICompatible, model: "badrequest-8")
        await #expect {
            try await embedder.embed(["hello"])
        } throws: { error in
            guard case .httpStatus(let model, 400, let body) = error as? EmbedderError else { return false }
            return model == "openai:badrequest-8" && body.contains("unknown model")
        }
        #expect(try await server.stats().requests["badrequest-8"] == 1)
    }

    @Test("a slow server times out on every attempt")
    func timeout() async throws {
        let server = try EmbeddingServer()
        let embedder = try embedder(server, api: .ollama, model: "slow-8", timeoutMilliseconds: 200, maxRetries: 1)
        await #expect(throws: EmbedderError.timeout(model: "ollama:slow-8", timeoutMilliseconds: 200, attempts: 2)) {
            try await embedder.embed(["hello"])
        }
    }

    @Test("a model returning 768 dimensions where 384 were configured stops with a clear error")
    func dimensionMismatch() async throws {
        let server = try EmbeddingServer()
        let embedder = try embedder(server, api: .ollama, model: "ok-768", dimension: 384)
        let expected = EmbedderError.dimensionMismatch(model: "ollama:ok-768", expected: 384, got: 768)
        await #expect(throws: expected) { try await embedder.embed(["turn on the lights"]) }
        #expect(expected.description.contains("ollama:ok-768"))
        #expect(expected.description.contains("768"))
        #expect(expected.isUserError)
    }

    @Test("a body that is not JSON is a bad response, not retried", arguments: ["malformed-8", "wrongshape-8"])
    func malformed(model: String) async throws {
        let server = try EmbeddingServer()
        let embedder = try embedder(server, api: .openAICompatible, model: model)
        await #expect {
            try await embedder.embed(["hello"])
        } throws: { error in
            guard case .badResponse(_, let detail) = error as? EmbedderError else { return false }
            return detail.contains("expected")
        }
        #expect(try await server.stats().requests[model] == 1)
    }

    @Test("sends the API key from the named environment variable")
    func apiKey() async throws {
        let server = try EmbeddingServer()
        let embedder = try embedder(
            server, api: .openAICompatible, model: "auth-8", apiKeyEnvironmentVariable: "VECD_TEST_KEY",
            environment: ["VECD_TEST_KEY": "test-key"])
        #expect(try await embedder.embed(["hello"]).count == 1)
        #expect(try await server.stats().auth["auth-8"] == "Bearer test-key")
    }

    @Test("a missing API key variable is refused before any request")
    func missingAPIKey() throws {
        let configuration = HTTPEmbedderConfiguration(
            api: .openAICompatible, baseURL: URL(string: "http://127.0.0.1:9")!, model: "m", dimension: 8,
            apiKeyEnvironmentVariable: "VECD_UNSET_KEY")
        #expect(throws: EmbedderError.missingAPIKey(variable: "VECD_UNSET_KEY")) {
            try HTTPEmbedder(configuration: configuration, environment: [:])
        }
    }

    @Test("empty text and out-of-range settings are refused")
    func badInput() async throws {
        let server = try EmbeddingServer()
        let embedder = try embedder(server, api: .ollama, model: "ok-8")
        await #expect(throws: EmbedderError.emptyText(index: 1)) { try await embedder.embed(["a", "  \n"]) }
        #expect(try await embedder.embed([]).isEmpty)
        let zeroBatch = HTTPEmbedderConfiguration(
            api: .ollama, baseURL: server.baseURL, model: "ok-8", dimension: 8, maxBatchSize: 0)
        #expect(throws: EmbedderError.invalidConfiguration("maxBatchSize must be in 1...2048, got 0")) {
            try HTTPEmbedder(configuration: zeroBatch)
        }
        #expect(try await server.stats().requests.isEmpty)
    }

    @Test("a refused connection is a transport error after retries")
    func connectionRefused() async throws {
        let configuration = HTTPEmbedderConfiguration(
            api: .ollama, baseURL: URL(string: "http://127.0.0.1:1")!, model: "m", dimension: 8, maxRetries: 1,
            initialBackoffMilliseconds: 1)
        await #expect {
            try await HTTPEmbedder(configuration: configuration).embed(["hello"])
        } throws: { error in
            guard case .transport(let model, _) = error as? EmbedderError else { return false }
            return model == "ollama:m"
        }
    }
}

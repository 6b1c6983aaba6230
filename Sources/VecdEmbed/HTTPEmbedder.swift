import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An embedder that calls an OpenAI-compatible or Ollama server over HTTP (URLSession, which is libcurl on Linux:
/// no extra package and no extra build time).
///
/// `embed` splits its texts into batches of ``HTTPEmbedderConfiguration/maxBatchSize``, sends them one after the
/// other, retries 429, 5xx, timeouts and failed connections with exponential backoff, and checks every vector's
/// length against ``dimension``: a model that answers with 768 dimensions where 384 were configured stops the call
/// with ``EmbedderError/dimensionMismatch(model:expected:got:)`` before any vector reaches a store.
public struct HTTPEmbedder: Embedder {
    /// Texts longer than this are refused before sending (providers truncate or reject them anyway).
    public static let maxTextByteCount = 1 << 20

    public let configuration: HTTPEmbedderConfiguration
    private let session: URLSession
    private let apiKey: String?

    public var dimension: Int { configuration.dimension }
    /// `"<api>:<model>"`, for example `"ollama:nomic-embed-text"`.
    public var modelID: String { "\(configuration.api.rawValue):\(configuration.model)" }

    /// Checks `configuration` and reads the API key from the environment variable it names.
    public init(
        configuration: HTTPEmbedderConfiguration,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(EmbedderError) {
        try configuration.validate()
        if let variable = configuration.apiKeyEnvironmentVariable {
            guard let key = environment[variable], !key.isEmpty else { throw .missingAPIKey(variable: variable) }
            apiKey = key
        } else {
            apiKey = nil
        }
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = Double(configuration.timeoutMilliseconds) / 1000
        session = URLSession(configuration: sessionConfiguration)
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        for (index, text) in texts.enumerated() {
            if text.allSatisfy(\.isWhitespace) { throw EmbedderError.emptyText(index: index) }
            let byteCount = text.utf8.count
            if byteCount > Self.maxTextByteCount {
                throw EmbedderError.textTooLong(index: index, byteCount: byteCount, limit: Self.maxTextByteCount)
            }
        }
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let end = min(start + configuration.maxBatchSize, texts.count)
            let batch = try await embedBatch(Array(texts[start..<end]), firstIndex: start)
            vectors.append(contentsOf: batch)
            start = end
        }
        return vectors
    }

    /// One request (with its retries) for one batch; checks count, dimension and finiteness of the answer.
    private func embedBatch(_ texts: [String], firstIndex: Int) async throws -> [[Float]] {
        let body = try await post(EmbeddingWireFormat.requestBody(model: configuration.model, texts: texts))
        let vectors = try EmbeddingWireFormat.vectors(from: body, api: configuration.api, model: modelID)
        guard vectors.count == texts.count else {
            throw EmbedderError.countMismatch(model: modelID, expected: texts.count, got: vectors.count)
        }
        for (offset, vector) in vectors.enumerated() {
            guard vector.count == dimension else {
                throw EmbedderError.dimensionMismatch(model: modelID, expected: dimension, got: vector.count)
            }
            guard vector.allSatisfy(\.isFinite) else {
                throw EmbedderError.nonFiniteComponent(model: modelID, index: firstIndex + offset)
            }
        }
        return vectors
    }

    /// Posts `body`, retrying as ``RetryPolicy`` allows, and returns the body of the 2xx answer.
    private func post(_ body: Data) async throws -> Data {
        var request = URLRequest(url: configuration.endpoint)
        request.httpMethod = "POST"
        request.httpBody = body
        request.timeoutInterval = Double(configuration.timeoutMilliseconds) / 1000
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        var policy = RetryPolicy(configuration: configuration)
        while true {
            switch await attempt(request) {
            case .success(let data):
                return data
            case .failure(let error, let retryAfterMilliseconds):
                guard let delay = policy.nextDelay(after: error, retryAfterMilliseconds: retryAfterMilliseconds) else {
                    throw policy.finalError(error)
                }
                try await Task.sleep(for: .milliseconds(delay))
            }
        }
    }

    private enum AttemptOutcome {
        case success(Data)
        case failure(EmbedderError, retryAfterMilliseconds: Int?)
    }

    /// One HTTP exchange, with every failure turned into an ``EmbedderError`` for the retry policy to judge.
    private func attempt(_ request: URLRequest) async -> AttemptOutcome {
        let model = modelID
        do {
            let (data, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else {
                return .failure(.badResponse(model: model, detail: "not an HTTP response"), retryAfterMilliseconds: nil)
            }
            guard (200..<300).contains(http.statusCode) else {
                let text = String(decoding: data.prefix(512), as: UTF8.self)
                // Retry-After in seconds (the HTTP-date form is rare for rate limits and is ignored).
                let retryAfter = http.value(forHTTPHeaderField: "Retry-After").flatMap(Int.init).map { $0 * 1000 }
                return .failure(
                    .httpStatus(model: model, status: http.statusCode, body: text), retryAfterMilliseconds: retryAfter)
            }
            return .success(data)
        } catch let error as URLError where error.code == .timedOut {
            return .failure(
                .timeout(model: model, timeoutMilliseconds: configuration.timeoutMilliseconds, attempts: 1),
                retryAfterMilliseconds: nil)
        } catch {
            return .failure(.transport(model: model, detail: error.localizedDescription), retryAfterMilliseconds: nil)
        }
    }
}

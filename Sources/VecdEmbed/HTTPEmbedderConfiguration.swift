public import Foundation

/// The wire protocol an HTTP embedding provider speaks.
public enum EmbeddingAPI: String, Sendable, Codable, CaseIterable {
    /// `POST {baseURL}/v1/embeddings` with `{"model", "input": [...]}`, answered by
    /// `{"data": [{"embedding", "index"}]}`
    /// (OpenAI, vLLM, llama.cpp server, LM Studio, LocalAI, text-embeddings-inference).
    case openAICompatible = "openai"
    /// `POST {baseURL}/api/embed` with `{"model", "input": [...]}`, answered by `{"embeddings": [[...]]}` (Ollama ≥ 0.3).
    case ollama
}

/// Where and how an ``HTTPEmbedder`` reaches its provider. Every limit has a documented range, checked by
/// ``validate()``; nothing out of range is silently clamped.
public struct HTTPEmbedderConfiguration: Sendable, Equatable {
    /// Accepted `dimension` values: 1...65,536 (pgvector's `vector` stores at most 16,000; OpenAI's largest is 3,072).
    public static let dimensionRange = 1...65_536
    /// Accepted `maxBatchSize` values: OpenAI takes at most 2,048 inputs per request.
    public static let maxBatchSizeRange = 1...2_048
    /// Accepted `timeoutMilliseconds` values: 1 ms to 10 minutes.
    public static let timeoutMillisecondsRange = 1...600_000
    /// Accepted `maxRetries` values.
    public static let maxRetriesRange = 0...10

    /// The protocol the provider speaks.
    public var api: EmbeddingAPI
    /// The provider's root, for example `http://localhost:11434` (Ollama) or `https://api.openai.com` (OpenAI);
    /// the protocol's path is appended.
    public var baseURL: URL
    /// The model name sent in each request, for example `nomic-embed-text`.
    public var model: String
    /// The dimension the collection expects; a response of any other length stops with
    /// ``EmbedderError/dimensionMismatch(model:expected:got:)``.
    public var dimension: Int
    /// Texts per request; a larger `embed` call is split into batches of at most this many texts, sent in order.
    public var maxBatchSize: Int
    /// How long one request may take before it counts as a timeout (and is retried).
    public var timeoutMilliseconds: Int
    /// Extra attempts after a 429, a 5xx, a timeout or a failed connection; other statuses are not retried.
    public var maxRetries: Int
    /// The wait before the first retry; each further retry waits twice as long (capped at 30 s), or the server's
    /// `Retry-After` when that is longer.
    public var initialBackoffMilliseconds: Int
    /// The name of the environment variable holding the API key (sent as `Authorization: Bearer …`); `nil` sends none.
    /// The key itself never appears in configuration files or errors.
    public var apiKeyEnvironmentVariable: String?

    /// Creates a configuration; call ``validate()`` (``HTTPEmbedder`` does) before use.
    public init(
        api: EmbeddingAPI,
        baseURL: URL,
        model: String,
        dimension: Int,
        maxBatchSize: Int = 64,
        timeoutMilliseconds: Int = 30_000,
        maxRetries: Int = 3,
        initialBackoffMilliseconds: Int = 250,
        apiKeyEnvironmentVariable: String? = nil
    ) {
        self.api = api
        self.baseURL = baseURL
        self.model = model
        self.dimension = dimension
        self.maxBatchSize = maxBatchSize
        self.timeoutMilliseconds = timeoutMilliseconds
        self.maxRetries = maxRetries
        self.initialBackoffMilliseconds = initialBackoffMilliseconds
        self.apiKeyEnvironmentVariable = apiKeyEnvironmentVariable
    }

    /// The full URL requests go to.
    public var endpoint: URL {
        switch api {
        case .openAICompatible: return baseURL.appendingPathComponent("v1").appendingPathComponent("embeddings")
        case .ollama: return baseURL.appendingPathComponent("api").appendingPathComponent("embed")
        }
    }

    /// Throws ``EmbedderError/invalidConfiguration(_:)`` naming the first value out of its range.
    public func validate() throws(EmbedderError) {
        func check(_ name: String, _ value: Int, _ range: ClosedRange<Int>) throws(EmbedderError) {
            guard range.contains(value) else {
                throw .invalidConfiguration(
                    "\(name) must be in \(range.lowerBound)...\(range.upperBound), got \(value)")
            }
        }
        try check("dimension", dimension, Self.dimensionRange)
        try check("maxBatchSize", maxBatchSize, Self.maxBatchSizeRange)
        try check("timeoutMilliseconds", timeoutMilliseconds, Self.timeoutMillisecondsRange)
        try check("maxRetries", maxRetries, Self.maxRetriesRange)
        try check("initialBackoffMilliseconds", initialBackoffMilliseconds, 0...60_000)
        guard !model.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidConfiguration("model must not be empty")
        }
        guard let scheme = baseURL.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw .invalidConfiguration("baseURL must be an http or https URL, got \(baseURL.absoluteString)")
        }
    }
}

public import Foundation
public import VecdEmbed

/// Which embedder `vecd serve` gives the store: the offline ``HashingEmbedder`` (the default: no network, no model
/// files) or an HTTP provider (OpenAI-compatible or Ollama) through ``HTTPEmbedder``.
///
/// In the config file it is the `embedder` object: `{"provider": "hashing", "dimension": 512}` or
/// `{"provider": "openai" | "ollama", "base_url", "model", "dimension", "max_batch_size", "timeout_ms",
/// "max_retries", "api_key_env"}`. The API key itself never appears in the file: `api_key_env` names the
/// environment variable that holds it.
public enum EmbedderSetting: Sendable, Equatable {
    /// The dimension of the offline embedder when none is configured (``HashingEmbedder/defaultDimension``). A store
    /// filled with another dimension keeps its vectors; set `dimension` to match it (the store refuses text otherwise).
    public static let defaultHashingDimension = HashingEmbedder.defaultDimension

    case hashing(dimension: Int)
    case http(HTTPEmbedderConfiguration)

    /// The embedder this setting describes; `environment` supplies the provider's API key.
    public func makeEmbedder(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(APIConfigurationError) -> any Embedder {
        do {
            switch self {
            case .hashing(let dimension): return try HashingEmbedder(dimension: dimension)
            case .http(let configuration): return try HTTPEmbedder(configuration: configuration, environment: environment)
            }
        } catch {
            throw APIConfigurationError("embedder: \(error)")
        }
    }

    /// Refuses values outside the embedders' documented ranges (the API key is checked by ``makeEmbedder``).
    func validate() throws(APIConfigurationError) {
        switch self {
        case .hashing(let dimension):
            guard HashingEmbedder.dimensionRange.contains(dimension) else {
                let range = HashingEmbedder.dimensionRange
                throw APIConfigurationError(
                    "embedder.dimension of the hashing embedder must be in \(range.lowerBound)...\(range.upperBound), "
                        + "got \(dimension)")
            }
        case .http(let configuration):
            do { try configuration.validate() } catch { throw APIConfigurationError("embedder: \(error)") }
        }
    }

    /// A one-line description for the startup log (never includes a key).
    public var summary: String {
        switch self {
        case .hashing(let dimension): "hashing (offline), \(dimension) dimensions"
        case .http(let configuration):
            "\(configuration.api.rawValue) \(configuration.model) at \(configuration.baseURL.absoluteString), "
                + "\(configuration.dimension) dimensions"
        }
    }
}

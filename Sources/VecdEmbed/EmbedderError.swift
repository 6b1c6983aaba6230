/// Why an embedder produced no vectors. Nothing was stored: callers embed before they write.
///
/// User errors (``emptyText(index:)``, ``textTooLong(index:byteCount:limit:)``, ``invalidConfiguration(_:)``,
/// ``missingAPIKey(variable:)``, ``dimensionMismatch(model:expected:got:)``) need a change of input or
/// configuration; the others describe a provider that failed or misbehaved, and may succeed on a later call.
public enum EmbedderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text at `index` is empty or only whitespace; it has no meaning to embed.
    case emptyText(index: Int)
    /// The text at `index` has `byteCount` UTF-8 bytes, more than the embedder's `limit`.
    case textTooLong(index: Int, byteCount: Int, limit: Int)
    /// A configuration value outside its documented range (the message names it and the range).
    case invalidConfiguration(String)
    /// The environment variable that should hold the API key is unset or empty.
    case missingAPIKey(variable: String)
    /// The model returned vectors of `got` dimensions where the collection was configured for `expected`
    /// (for example `nomic-embed-text`, which returns 768, configured as 384).
    case dimensionMismatch(model: String, expected: Int, got: Int)
    /// The model returned `got` vectors for `expected` texts.
    case countMismatch(model: String, expected: Int, got: Int)
    /// The model returned a NaN or infinite component in the vector for the text at `index`.
    case nonFiniteComponent(model: String, index: Int)
    /// The provider answered with HTTP `status` (after retries, when the status was retryable).
    case httpStatus(model: String, status: Int, body: String)
    /// The provider did not answer within `timeoutMilliseconds`, on each of `attempts` attempts.
    case timeout(model: String, timeoutMilliseconds: Int, attempts: Int)
    /// The provider's answer was not the JSON the protocol defines.
    case badResponse(model: String, detail: String)
    /// The request could not be sent or the connection failed (refused, reset, DNS).
    case transport(model: String, detail: String)

    /// Whether the error describes the input or the configuration rather than the provider.
    public var isUserError: Bool {
        switch self {
        case .emptyText, .textTooLong, .invalidConfiguration, .missingAPIKey, .dimensionMismatch: return true
        case .countMismatch, .nonFiniteComponent, .httpStatus, .timeout, .badResponse, .transport: return false
        }
    }

    public var description: String {
        switch self {
        case .emptyText(let index):
            return "text \(index) is empty; only non-blank text can be embedded"
        case .textTooLong(let index, let byteCount, let limit):
            return "text \(index) has \(byteCount) UTF-8 bytes; the limit is \(limit)"
        case .invalidConfiguration(let detail):
            return "invalid embedder configuration: \(detail)"
        case .missingAPIKey(let variable):
            return "the API key variable \(variable) is not set in the environment"
        case .dimensionMismatch(let model, let expected, let got):
            return "model \(model) returned \(got)-dimensional vectors, but the collection is configured for"
                + " \(expected); set the dimension to \(got) or choose a model that returns \(expected)"
        case .countMismatch(let model, let expected, let got):
            return "model \(model) returned \(got) vectors for \(expected) texts"
        case .nonFiniteComponent(let model, let index):
            return "model \(model) returned a NaN or infinite component for text \(index)"
        case .httpStatus(let model, let status, let body):
            return "model \(model): HTTP \(status)" + (body.isEmpty ? "" : ": \(body)")
        case .timeout(let model, let timeoutMilliseconds, let attempts):
            return "model \(model) did not answer within \(timeoutMilliseconds) ms (\(attempts) attempts)"
        case .badResponse(let model, let detail):
            return "model \(model) sent a malformed response: \(detail)"
        case .transport(let model, let detail):
            return "model \(model) could not be reached: \(detail)"
        }
    }
}

/// Decides whether a failed embedding request is tried again, and after how long.
///
/// Retried: 429 (rate limited), 5xx, timeouts and failed connections, which a busy or restarting provider
/// produces. Not retried: other 4xx (a wrong model name or key will not fix itself) and malformed answers.
struct RetryPolicy {
    /// The longest wait between two attempts, whatever the backoff or `Retry-After` asks for.
    static let maxDelayMilliseconds = 30_000

    private let maxRetries: Int
    private var nextBackoffMilliseconds: Int
    private(set) var attempts = 1

    init(configuration: HTTPEmbedderConfiguration) {
        maxRetries = configuration.maxRetries
        nextBackoffMilliseconds = configuration.initialBackoffMilliseconds
    }

    static func isRetryable(_ error: EmbedderError) -> Bool {
        switch error {
        case .httpStatus(_, let status, _): return status == 429 || (500..<600).contains(status)
        case .timeout, .transport: return true
        default: return false
        }
    }

    /// The wait before the next attempt, or `nil` when `error` is final.
    mutating func nextDelay(after error: EmbedderError, retryAfterMilliseconds: Int?) -> Int? {
        guard Self.isRetryable(error), attempts <= maxRetries else { return nil }
        attempts += 1
        let delay = max(nextBackoffMilliseconds, retryAfterMilliseconds ?? 0)
        nextBackoffMilliseconds = min(nextBackoffMilliseconds * 2, Self.maxDelayMilliseconds)
        return min(delay, Self.maxDelayMilliseconds)
    }

    /// The error to report once retries are over: a timeout says how many attempts were made.
    func finalError(_ error: EmbedderError) -> EmbedderError {
        if case .timeout(let model, let timeoutMilliseconds, _) = error {
            return .timeout(model: model, timeoutMilliseconds: timeoutMilliseconds, attempts: attempts)
        }
        return error
    }
}

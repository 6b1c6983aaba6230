public import Foundation
import Logging
import Vecd
import VecdEmbed

extension ServerConfiguration.Layer {
    /// The settings of a JSON config file (see `deploy/vecd.json` and docs/deploy.md).
    ///
    /// Unknown keys are refused rather than ignored, so a misspelt `max_k` cannot silently leave the default in place.
    /// A relative `data` path is taken relative to the file's directory, so the file means the same wherever
    /// `vecd serve` is started from.
    public init(configFile url: URL) throws(APIConfigurationError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw APIConfigurationError("cannot read the config file \(url.path): \(error.localizedDescription)")
        }
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw APIConfigurationError("the config file \(url.path) is not valid JSON")
        }
        do {
            try self.init(json: value, relativeTo: url.deletingLastPathComponent())
        } catch {
            throw APIConfigurationError("config file \(url.path): \(error.description)")
        }
    }

    /// The settings of a parsed config document; errors name the JSON path of the bad value.
    init(json: JSONValue, relativeTo base: URL) throws(APIConfigurationError) {
        self.init()
        let root = try ConfigNode(json, path: "")
        try root.rejectUnknownKeys([
            "host", "port", "data", "ephemeral", "api_keys", "limits", "embedder", "log_level",
            "shutdown_drain_seconds",
        ])
        host = try root.string("host")
        port = try root.int("port")
        dataDirectory = try root.string("data").map { URL(fileURLWithPath: $0, relativeTo: base).standardizedFileURL }
        ephemeral = try root.bool("ephemeral")
        shutdownDrainSeconds = try root.int("shutdown_drain_seconds")
        logLevel = try root.string("log_level").map { text throws(APIConfigurationError) in
            try Self.logLevel(text, name: "log_level")
        }
        if let keys = try root.array("api_keys") {
            apiKeys = try keys.map { node throws(APIConfigurationError) in try Self.apiKey(node) }
        }
        if let limits = try root.object("limits") {
            try limits.rejectUnknownKeys(["max_body_bytes", "max_k", "max_batch", "idle_timeout_seconds"])
            maxBodyBytes = try limits.int("max_body_bytes")
            maxK = try limits.int("max_k")
            maxBatch = try limits.int("max_batch")
            idleTimeoutSeconds = try limits.int("idle_timeout_seconds")
        }
        if let embedder = try root.object("embedder") { self.embedder = try Self.embedder(embedder) }
    }

    static func apiKey(_ node: ConfigNode) throws(APIConfigurationError) -> APIKey {
        try node.rejectUnknownKeys(["key", "tenant", "user_id", "role"])
        let roleText = try node.requiredString("role")
        guard let role = Role(rawValue: roleText) else {
            throw APIConfigurationError("\(node.path("role")) must be read, write or admin, got \(roleText)")
        }
        return APIKey(
            key: try node.requiredString("key"), tenant: try node.requiredString("tenant"),
            userID: try node.string("user_id"), role: role)
    }

    static func embedder(_ node: ConfigNode) throws(APIConfigurationError) -> EmbedderSetting {
        let provider = try node.string("provider") ?? "hashing"
        if provider == "hashing" {
            try node.rejectUnknownKeys(["provider", "dimension"])
            return .hashing(dimension: try node.int("dimension") ?? EmbedderSetting.defaultHashingDimension)
        }
        guard let api = EmbeddingAPI(rawValue: provider) else {
            throw APIConfigurationError(
                "\(node.path("provider")) must be hashing, openai or ollama, got \(provider)")
        }
        try node.rejectUnknownKeys([
            "provider", "base_url", "model", "dimension", "max_batch_size", "timeout_ms", "max_retries",
            "initial_backoff_ms", "api_key_env",
        ])
        let urlText = try node.requiredString("base_url")
        guard let baseURL = URL(string: urlText) else {
            throw APIConfigurationError("\(node.path("base_url")) is not a URL: \(urlText)")
        }
        guard let dimension = try node.int("dimension") else {
            throw APIConfigurationError("\(node.path("dimension")) is required for an HTTP embedder")
        }
        var configuration = HTTPEmbedderConfiguration(
            api: api, baseURL: baseURL, model: try node.requiredString("model"), dimension: dimension,
            apiKeyEnvironmentVariable: try node.string("api_key_env"))
        if let value = try node.int("max_batch_size") { configuration.maxBatchSize = value }
        if let value = try node.int("timeout_ms") { configuration.timeoutMilliseconds = value }
        if let value = try node.int("max_retries") { configuration.maxRetries = value }
        if let value = try node.int("initial_backoff_ms") { configuration.initialBackoffMilliseconds = value }
        return .http(configuration)
    }

    static func logLevel(_ text: String, name: String) throws(APIConfigurationError) -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIConfigurationError("\(name) must be one of \(names), got \(text)")
        }
        return level
    }
}

/// A JSON object of the config file with its path, read with errors that name the key and the expected type.
struct ConfigNode {
    let fields: [String: JSONValue]
    let prefix: String

    init(_ value: JSONValue, path: String) throws(APIConfigurationError) {
        guard case .object(let fields) = value else {
            throw APIConfigurationError("\(path.isEmpty ? "the document" : path) must be a JSON object")
        }
        self.fields = fields
        prefix = path
    }

    func path(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }

    func rejectUnknownKeys(_ known: Set<String>) throws(APIConfigurationError) {
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw APIConfigurationError(
                "\(path(unknown)) is not a setting; known here: \(known.sorted().joined(separator: ", "))")
        }
    }

    /// The value, nil when absent or null.
    private func value(_ key: String) -> JSONValue? {
        guard let value = fields[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(APIConfigurationError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw APIConfigurationError("\(path(key)) must be a string") }
        return text
    }

    func requiredString(_ key: String) throws(APIConfigurationError) -> String {
        guard let text = try string(key), !text.allSatisfy(\.isWhitespace) else {
            throw APIConfigurationError("\(path(key)) is required")
        }
        return text
    }

    func int(_ key: String) throws(APIConfigurationError) -> Int? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value, number.rounded() == number, abs(number) < 1e15 else {
            throw APIConfigurationError("\(path(key)) must be an integer")
        }
        return Int(number)
    }

    func bool(_ key: String) throws(APIConfigurationError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else { throw APIConfigurationError("\(path(key)) must be true or false") }
        return flag
    }

    func object(_ key: String) throws(APIConfigurationError) -> ConfigNode? {
        guard let value = value(key) else { return nil }
        return try ConfigNode(value, path: path(key))
    }

    func array(_ key: String) throws(APIConfigurationError) -> [ConfigNode]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw APIConfigurationError("\(path(key)) must be an array") }
        var nodes: [ConfigNode] = []
        for (index, item) in items.enumerated() { nodes.append(try ConfigNode(item, path: "\(path(key))[\(index)]")) }
        return nodes
    }
}

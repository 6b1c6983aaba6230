import Foundation
import Vecd

extension ServerConfiguration.Layer {
    /// The environment variables `vecd serve` reads, with what each holds.
    public static let environmentVariables: [(name: String, meaning: String)] = [
        ("VECD_CONFIG", "path of the JSON config file (same as --config)"),
        ("VECD_DATA", "data directory"),
        ("VECD_HOST", "address to bind"),
        ("VECD_PORT", "TCP port (0: a free one)"),
        ("VECD_EPHEMERAL", "true: a temporary store on a free port"),
        ("VECD_LOG_LEVEL", "trace, debug, info, notice, warning, error or critical"),
        ("VECD_API_KEYS", #"JSON array of {"key","tenant","user_id","role"}; replaces the file's api_keys"#),
        ("VECD_MAX_BODY_BYTES", "largest request body"),
        ("VECD_MAX_K", "largest k / limit of a search"),
        ("VECD_MAX_BATCH", "most items in one batch request"),
        ("VECD_SHUTDOWN_DRAIN_SECONDS", "seconds a shutdown waits for ingestion jobs' running groups (default 10)"),
        ("VECD_IDLE_TIMEOUT_SECONDS", "seconds an idle or half-sent connection stays open"),
        ("VECD_EMBEDDER", #"JSON object, as the file's "embedder""#),
        ("VECD_MAP_ADVICE", "normal (default) or random: read-ahead on segment mappings (docs/index.md)"),
        ("VECD_HUGE_PAGES", "1 (default) or 0: transparent huge pages for large in-memory indexes"),
    ]

    /// The settings of the `VECD_*` variables in `environment`; a blank variable counts as unset.
    /// Errors name the variable and what it should hold.
    public init(environment: [String: String]) throws(APIConfigurationError) {
        self.init()
        func text(_ name: String) -> String? {
            guard let value = environment[name], !value.allSatisfy(\.isWhitespace) else { return nil }
            return value.trimmingCharacters(in: .whitespaces)
        }
        func integer(_ name: String) throws(APIConfigurationError) -> Int? {
            guard let value = text(name) else { return nil }
            guard let number = Int(value) else { throw APIConfigurationError("\(name) must be an integer, got \(value)") }
            return number
        }
        func json(_ name: String) throws(APIConfigurationError) -> JSONValue? {
            guard let value = text(name) else { return nil }
            guard let parsed = JSONValue(jsonText: value) else { throw APIConfigurationError("\(name) is not valid JSON") }
            return parsed
        }
        host = text("VECD_HOST")
        port = try integer("VECD_PORT")
        dataDirectory = text("VECD_DATA").map { URL(fileURLWithPath: $0) }
        if let value = text("VECD_EPHEMERAL")?.lowercased() {
            switch value {
            case "true", "1", "yes": ephemeral = true
            case "false", "0", "no": ephemeral = false
            default: throw APIConfigurationError("VECD_EPHEMERAL must be true or false, got \(value)")
            }
        }
        logLevel = try text("VECD_LOG_LEVEL").map { value throws(APIConfigurationError) in
            try Self.logLevel(value, name: "VECD_LOG_LEVEL")
        }
        maxBodyBytes = try integer("VECD_MAX_BODY_BYTES")
        maxK = try integer("VECD_MAX_K")
        maxBatch = try integer("VECD_MAX_BATCH")
        shutdownDrainSeconds = try integer("VECD_SHUTDOWN_DRAIN_SECONDS")
        idleTimeoutSeconds = try integer("VECD_IDLE_TIMEOUT_SECONDS")
        if let keys = try json("VECD_API_KEYS") {
            guard case .array(let items) = keys else { throw APIConfigurationError("VECD_API_KEYS must be a JSON array") }
            apiKeys = try items.enumerated().map { index, item throws(APIConfigurationError) in
                try Self.apiKey(try ConfigNode(item, path: "VECD_API_KEYS[\(index)]"))
            }
        }
        if let embedder = try json("VECD_EMBEDDER") {
            self.embedder = try Self.embedder(try ConfigNode(embedder, path: "VECD_EMBEDDER"))
        }
        // The storage and index libraries read these two themselves and fall back to their defaults on a value they
        // do not know (a library has nowhere to report it); the server checks them so a typo stops it at start.
        if let value = text("VECD_MAP_ADVICE"), !["normal", "random"].contains(value.lowercased()) {
            throw APIConfigurationError("VECD_MAP_ADVICE must be normal or random, got \(value)")
        }
        if let value = text("VECD_HUGE_PAGES"), !["0", "1"].contains(value) {
            throw APIConfigurationError("VECD_HUGE_PAGES must be 0 or 1, got \(value)")
        }
    }
}

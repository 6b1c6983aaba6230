public import Foundation
public import Logging
import Vecd

/// An API key and what it grants.
public struct APIKey: Sendable, Codable, Equatable {
    /// The secret sent as `Authorization: Bearer <key>`.
    public var key: String
    public var tenant: String
    /// Binds the key to one user of the tenant; nil for a tenant-wide key.
    public var userID: String?
    public var role: Role

    public init(key: String, tenant: String, userID: String? = nil, role: Role) {
        self.key = key
        self.tenant = tenant
        self.userID = userID
        self.role = role
    }

    enum CodingKeys: String, CodingKey {
        case key, tenant, role
        case userID = "user_id"
    }

    var principal: Principal { Principal(tenant: tenant, userID: userID, role: role) }
}

/// Request limits the server enforces (and documents in `formats/openapi.yaml`).
public struct ServerLimits: Sendable, Codable, Equatable {
    /// Largest request body accepted, in bytes; larger bodies get 413 `body_too_large`.
    public var maxBodyBytes: Int = 16 << 20
    /// Largest `k` / `limit` of a search.
    public var maxK: Int = 1_000
    /// Most items (documents, memories, vectors) in one batch request.
    public var maxBatch: Int = 1_000
    /// Seconds a connection may go without sending a whole request head, or between body parts, or between
    /// requests, before the server closes it: a client that sends half a header cannot hold a connection open.
    /// A request that is being answered is never cut.
    public var idleTimeoutSeconds: Int = 60

    public init() {}

    enum CodingKeys: String, CodingKey {
        case maxBodyBytes = "max_body_bytes"
        case maxK = "max_k"
        case maxBatch = "max_batch"
        case idleTimeoutSeconds = "idle_timeout_seconds"
    }
}

/// How `vecd serve` runs: where it listens, where the data lives, who may call it, which embedder it uses.
///
/// `vecd serve` builds one from four sources, each overriding the one before: these defaults, the JSON file of
/// `--config` (or `VECD_CONFIG`), the `VECD_*` environment, and the command-line flags; see
/// ``ServerConfiguration/Layer`` and docs/deploy.md.
public struct ServerConfiguration: Sendable {
    /// The address to bind; loopback unless API keys are configured.
    public var host: String = "127.0.0.1"
    /// The TCP port; 0 picks a free one (the `--ephemeral` default).
    public var port: Int = 8080
    /// The data directory (SQLite + segment files); nil with ``ephemeral``.
    public var dataDirectory: URL? = URL(fileURLWithPath: "vecd-data")
    /// A temporary store deleted on exit, for test suites.
    public var ephemeral: Bool = false
    public var apiKeys: [APIKey] = []
    public var limits = ServerLimits()
    /// How text becomes vectors: the offline hashing embedder unless an HTTP provider is configured.
    public var embedder: EmbedderSetting = .hashing(dimension: EmbedderSetting.defaultHashingDimension)
    /// The lowest level written to the log (stderr).
    public var logLevel: Logger.Level = .info
    /// How long a shutdown (SIGTERM, SIGINT) waits for the ingestion jobs' running groups to be stored, in seconds;
    /// the rest of each job stays queued for the next start. A group still busy after it (a slow embedder) stays
    /// queued whole.
    public var shutdownDrainSeconds: Int = 10

    public init() {}

    /// The caller of every request when no keys are configured.
    static let defaultPrincipal = Principal(tenant: VecdStore.defaultTenant, role: .admin)

    /// Whether `host` names the loopback interface.
    public var bindsLoopbackOnly: Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
    }

    /// Refuses settings that would expose an unauthenticated store to the network.
    public func validate() throws(APIConfigurationError) {
        if apiKeys.isEmpty && !bindsLoopbackOnly {
            throw APIConfigurationError(
                "no API keys are configured, so vecd serves without authentication and binds loopback only; "
                    + "configure keys to listen on \(host)")
        }
        guard (0...65_535).contains(port) else { throw APIConfigurationError("port must be in 0...65535, got \(port)") }
        var seen = Set<String>()
        for key in apiKeys {
            guard key.key.utf8.count >= 16 else {
                throw APIConfigurationError("API keys must have at least 16 characters (tenant \(key.tenant))")
            }
            guard !key.tenant.allSatisfy(\.isWhitespace) else {
                throw APIConfigurationError("every API key needs a non-empty tenant")
            }
            guard seen.insert(key.key).inserted else { throw APIConfigurationError("an API key is listed twice") }
        }
        for (name, value) in [
            ("max_body_bytes", limits.maxBodyBytes), ("max_k", limits.maxK), ("max_batch", limits.maxBatch),
            ("idle_timeout_seconds", limits.idleTimeoutSeconds),
        ] where value < 1 {
            throw APIConfigurationError("limits.\(name) must be at least 1, got \(value)")
        }
        guard (0...3_600).contains(shutdownDrainSeconds) else {
            throw APIConfigurationError(
                "shutdown_drain_seconds must be in 0...3600, got \(shutdownDrainSeconds)")
        }
        try embedder.validate()
    }
}

/// A server setting that cannot work.
public struct APIConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public import Foundation
public import Logging

extension ServerConfiguration {
    /// The settings one source gives (config file, environment or flags); nil means "not set here".
    ///
    /// ``ServerConfiguration/resolved(file:environment:flags:)`` applies the layers over the defaults in order of
    /// precedence: flag > environment > file > default.
    public struct Layer: Sendable, Equatable {
        public var host: String?
        public var port: Int?
        public var dataDirectory: URL?
        public var ephemeral: Bool?
        public var apiKeys: [APIKey]?
        public var maxBodyBytes: Int?
        public var maxK: Int?
        public var maxBatch: Int?
        public var idleTimeoutSeconds: Int?
        public var embedder: EmbedderSetting?
        public var logLevel: Logger.Level?
        public var shutdownDrainSeconds: Int?

        public init() {}
    }

    /// Overrides every setting `layer` sets.
    public mutating func apply(_ layer: Layer) {
        if let host = layer.host { self.host = host }
        if let port = layer.port { self.port = port }
        if let dataDirectory = layer.dataDirectory { self.dataDirectory = dataDirectory }
        if let ephemeral = layer.ephemeral { self.ephemeral = ephemeral }
        if let apiKeys = layer.apiKeys { self.apiKeys = apiKeys }
        if let maxBodyBytes = layer.maxBodyBytes { limits.maxBodyBytes = maxBodyBytes }
        if let maxK = layer.maxK { limits.maxK = maxK }
        if let maxBatch = layer.maxBatch { limits.maxBatch = maxBatch }
        if let idleTimeoutSeconds = layer.idleTimeoutSeconds { limits.idleTimeoutSeconds = idleTimeoutSeconds }
        if let embedder = layer.embedder { self.embedder = embedder }
        if let logLevel = layer.logLevel { self.logLevel = logLevel }
        if let seconds = layer.shutdownDrainSeconds { shutdownDrainSeconds = seconds }
    }

    /// The defaults overridden by `file`, then `environment`, then `flags`.
    ///
    /// `--ephemeral` (from any layer) drops the data directory and, unless a port was set somewhere, picks a free
    /// port: a test suite's server never touches `./vecd-data` or fights for 8080.
    public static func resolved(file: Layer = Layer(), environment: Layer = Layer(), flags: Layer = Layer())
        -> ServerConfiguration
    {
        var configuration = ServerConfiguration()
        for layer in [file, environment, flags] { configuration.apply(layer) }
        if configuration.ephemeral {
            configuration.dataDirectory = nil
            if [file, environment, flags].allSatisfy({ $0.port == nil }) { configuration.port = 0 }
        }
        return configuration
    }
}

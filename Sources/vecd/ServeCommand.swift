import ArgumentParser
import Foundation
import Logging
import Vecd
import VecdEmbed
import VecdServer

/// `vecd serve`: the HTTP server over a data directory, or over a throw-away store with `--ephemeral`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the seeds' routes and the /v1 API over HTTP.",
        discussion: """
            Settings come from flags, then VECD_* environment variables, then the JSON file of --config \
            (or VECD_CONFIG), then defaults; docs/deploy.md lists them. With no API keys configured, vecd serves \
            one default tenant without authentication and binds loopback only. --ephemeral opens a temporary \
            store on a free port. Once the socket accepts connections, the first stdout line is \
            'vecd listening on http://HOST:PORT', and DIR/vecd.server.json records the address until a clean exit.
            """
    )

    @Option(help: "A JSON config file (see deploy/vecd.json). Env: VECD_CONFIG.")
    var config: String?

    @Option(help: "The data directory (SQLite + segment files). Env: VECD_DATA. Default ./vecd-data.")
    var data: String?

    @Option(help: "The address to bind. Env: VECD_HOST. Default 127.0.0.1.")
    var host: String?

    @Option(help: "The TCP port; 0 picks a free one. Env: VECD_PORT. Default 8080 (0 with --ephemeral).")
    var port: Int?

    @Flag(help: "Serve a temporary store, deleted on exit, on a free port (for test suites). Env: VECD_EPHEMERAL.")
    var ephemeral = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. Env: VECD_LOG_LEVEL.")
    var logLevel: String?

    mutating func run() async throws {
        let configuration = try resolveConfiguration(environment: ProcessInfo.processInfo.environment)
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "vecd")
        // Before the store exists: a busy port must leave no data directory (or temporary store) behind.
        do { try ServerStartError.checkAvailable(host: configuration.host, port: configuration.port) } catch {
            throw Self.startFailure(error)
        }
        let embedder: any Embedder
        do { embedder = try configuration.embedder.makeEmbedder() } catch { throw ValidationError(error.description) }
        // QueryGuard behind the embedder's measured threshold: paraphrases hit the semantic cache, opposites miss.
        let storeConfiguration = VecdStore.Configuration.serving(embedder: embedder)
        let store: VecdStore
        if let dataDirectory = configuration.dataDirectory {
            store = try VecdStore(directory: dataDirectory, embedder: embedder, configuration: storeConfiguration)
        } else {
            // Stores of ephemeral servers that were SIGKILLed (their pid gone, their lock free) go first.
            for leftover in VecdStore.removeAbandonedTemporaryStores() {
                logger.notice(
                    "removed the store of an ephemeral server that was killed",
                    metadata: ["path": "\(leftover.path)"])
            }
            store = try VecdStore.temporary(embedder: embedder, configuration: storeConfiguration)
        }
        // Every way out of here (a signal's clean stop, a bind failure, a start-up error) removes an ephemeral
        // store; waiting for the store's release is not enough when a background task still holds it at exit.
        defer { store.removeTemporaryDirectory() }
        if configuration.apiKeys.isEmpty {
            logger.notice("no API keys configured: one default tenant, no authentication, loopback only")
        }
        logger.info(
            "vecd starting",
            metadata: [
                "data": "\(configuration.dataDirectory?.path ?? "(ephemeral)")",
                "embedder": "\(configuration.embedder.summary)", "api_keys": "\(configuration.apiKeys.count)",
            ])
        let host = configuration.host
        let addressDirectory = configuration.dataDirectory
        let auth = !configuration.apiKeys.isEmpty
        let server = VecdServer(configuration: configuration, store: store, logger: logger)
        do {
            try await serve(server, addressDirectory: addressDirectory, host: host, auth: auth, logger: logger)
        } catch let error as ServerStartError {
            throw Self.startFailure(error)
        }
        if let addressDirectory { ServerAddressFile.remove(in: addressDirectory) }
        logger.info("vecd stopped")
    }

    /// Exit status of a server that could not listen: EX_UNAVAILABLE, as for any other service it could not get.
    static let startFailureExitCode: Int32 = 69

    /// Says why the server could not listen, and what to do, on stderr; the exit status is 69.
    static func startFailure(_ error: ServerStartError) -> ExitCode {
        FileHandle.standardError.write(Data("vecd serve: \(error)\n".utf8))
        return ExitCode(startFailureExitCode)
    }

    /// Runs `server` until it stops, recording its address and printing the listening line once it listens.
    private func serve(
        _ server: VecdServer, addressDirectory: URL?, host: String, auth: Bool, logger: Logger
    ) async throws {
        try await server.run { port in
            // The address file first, so whoever saw the listening line also finds the file.
            if let addressDirectory {
                do {
                    try ServerAddressFile(host: host, port: port, auth: auth).write(in: addressDirectory)
                } catch {
                    logger.warning("cannot record the server address", metadata: ["error": "\(error)"])
                }
            }
            // Test suites wait for exactly this line on stdout, so it is printed and flushed before anything else.
            FileHandle.standardOutput.write(Data("vecd listening on http://\(host):\(port)\n".utf8))
        }
    }

    /// Defaults < config file < environment < flags.
    func resolveConfiguration(environment: [String: String]) throws -> ServerConfiguration {
        do {
            let environmentLayer = try ServerConfiguration.Layer(environment: environment)
            var fileLayer = ServerConfiguration.Layer()
            let configPath = config ?? environment["VECD_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
            if let configPath {
                fileLayer = try ServerConfiguration.Layer(configFile: URL(fileURLWithPath: configPath))
            }
            var flags = ServerConfiguration.Layer()
            flags.host = host
            flags.port = port
            flags.dataDirectory = data.map { URL(fileURLWithPath: $0) }
            flags.ephemeral = ephemeral ? true : nil
            if let logLevel {
                guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
                    throw APIConfigurationError(
                        "--log-level must be one of trace, debug, info, notice, warning, error, critical; got \(logLevel)"
                    )
                }
                flags.logLevel = level
            }
            let configuration = ServerConfiguration.resolved(
                file: fileLayer, environment: environmentLayer, flags: flags)
            try configuration.validate()
            return configuration
        } catch let error as APIConfigurationError {
            throw ValidationError(error.description)
        }
    }
}

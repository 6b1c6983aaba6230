import ArgumentParser
import Foundation
import Logging
import Vecd
import VecdEmbed
import VecdServer

/// `vecd serve`: the HTTP/JSON server over a data directory, or over a throw-away store with `--ephemeral`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the seeds' routes and the /v1 API over HTTP.",
        discussion: """
            With no API keys configured, vecd serves one default tenant without authentication and binds loopback \
            only. --ephemeral opens a temporary store on a free port and prints \
            'vecd listening on http://HOST:PORT' as its first stdout line once it accepts connections.
            """
    )

    @Option(help: "The data directory (SQLite + segment files). Env: VECD_DATA.")
    var data: String?

    @Option(help: "The address to bind. Env: VECD_HOST. Default 127.0.0.1.")
    var host: String?

    @Option(help: "The TCP port; 0 picks a free one. Env: VECD_PORT. Default 8080 (0 with --ephemeral).")
    var port: Int?

    @Flag(help: "Serve a temporary store, deleted on exit, on a free port (for test suites).")
    var ephemeral = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. Env: VECD_LOG_LEVEL.")
    var logLevel: String?

    mutating func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var configuration = ServerConfiguration()
        configuration.ephemeral = ephemeral
        configuration.host = host ?? environment["VECD_HOST"] ?? configuration.host
        if let port = port ?? environment["VECD_PORT"].flatMap(Int.init) {
            configuration.port = port
        } else if ephemeral {
            configuration.port = 0
        }
        let directory = data ?? environment["VECD_DATA"] ?? "vecd-data"
        configuration.dataDirectory = ephemeral ? nil : URL(fileURLWithPath: directory)
        let level = Logger.Level(rawValue: logLevel ?? environment["VECD_LOG_LEVEL"] ?? "info") ?? .info

        do { try configuration.validate() } catch { throw ValidationError(error.description) }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "vecd")
        let embedder = try HashingEmbedder()
        // QueryGuard behind the embedder's measured threshold: paraphrases hit the semantic cache, opposites miss.
        let storeConfiguration = VecdStore.Configuration.serving(embedder: embedder)
        let store: VecdStore
        if let dataDirectory = configuration.dataDirectory {
            store = try VecdStore(directory: dataDirectory, embedder: embedder, configuration: storeConfiguration)
        } else {
            store = try VecdStore.temporary(embedder: embedder, configuration: storeConfiguration)
        }
        if configuration.apiKeys.isEmpty {
            logger.notice("no API keys configured: one default tenant, no authentication, loopback only")
        }
        let host = configuration.host
        let server = VecdServer(configuration: configuration, store: store, logger: logger)
        try await server.run { port in
            // Test suites wait for exactly this line on stdout, so it is printed and flushed before anything else.
            FileHandle.standardOutput.write(Data("vecd listening on http://\(host):\(port)\n".utf8))
        }
        logger.info("vecd stopped")
    }
}

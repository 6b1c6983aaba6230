public import Hummingbird
public import Logging
public import Vecd
import NIOCore
import ServiceLifecycle
import UnixSignals
import Synchronization
import Foundation

/// The vecd HTTP/JSON server: the seeds' routes and vecd's own `/v1` API over one ``VecdStore``.
///
/// `run` takes up the ingestion jobs a previous run left unfinished, serves until SIGTERM or SIGINT, then stops the
/// ingestion workers (each stores the group it is on, within ``ServerConfiguration/shutdownDrainSeconds``; the rest
/// stays queued), stops accepting connections, lets requests in flight finish, and returns; the caller then
/// releases the store.
public struct VecdServer: Sendable {
    public let configuration: ServerConfiguration
    public let store: VecdStore
    public let logger: Logger
    /// Request counts and latencies, shared by the request-log middleware and `GET /metrics`.
    let metrics = MetricsRegistry()

    public init(configuration: ServerConfiguration, store: VecdStore, logger: Logger = Logger(label: "vecd")) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
    }

    /// What route handlers share.
    var services: ServerServices {
        ServerServices(
            store: store, limits: configuration.limits, logger: logger, metrics: metrics, textGuard: textGuard)
    }

    /// Hides the data directory (as given and with symlinks resolved) and the temporary directory from responses.
    var textGuard: ResponseTextGuard {
        let directory = store.directory.standardizedFileURL
        return ResponseTextGuard(hiddenPaths: [
            directory.path, directory.resolvingSymlinksInPath().path,
            FileManager.default.temporaryDirectory.standardizedFileURL.path,
        ])
    }

    /// The router with every route and middleware; tests and `run` use the same one.
    public func makeRouter() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        // First, so that every handler's store calls run on threads that may block (see BlockingWorkExecutor).
        router.add(middleware: BlockingWorkMiddleware(executor: .shared))
        router.add(middleware: RequestLogMiddleware(metrics: metrics, keys: configuration.apiKeys))
        router.add(middleware: ErrorMiddleware(textGuard: textGuard))
        router.add(
            middleware: AuthMiddleware(keys: configuration.apiKeys, defaultPrincipal: ServerConfiguration.defaultPrincipal))
        router.add(middleware: QueryParameterMiddleware())
        let services = services
        HealthRoutes(services: services).register(on: router)
        SeedMemoryRoutes(services: services).register(on: router)
        MetricsRoutes(services: services).register(on: router)
        AdminRoutes(services: services).register(on: router)
        AdminMaintenanceRoutes(services: services).register(on: router)
        SeedAgentRoutes(services: services).register(on: router)
        V1KnowledgeBaseRoutes(services: services).register(on: router)
        V1LearningRoutes(services: services).register(on: router)
        // After every route: it runs only for requests no route matched (see MethodNotAllowedMiddleware).
        let table = RouteMethodTable(router.routes.map { (path: $0.path.description, method: $0.method.rawValue) })
        router.add(middleware: MethodNotAllowedMiddleware(table: table))
        return router
    }

    /// Serves until `shutdown` is triggered or (with `handlesSignals`) SIGTERM or SIGINT arrives; then stops
    /// accepting connections, finishes the requests in flight and returns. `onListening` receives the bound port
    /// once the socket accepts connections (with port 0, the one the system picked).
    public func run(
        shutdown: ServerShutdown? = nil, handlesSignals: Bool = true,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try configuration.validate()
        let app = Application(
            router: makeRouter(),
            server: .http1(
                configuration: .init(idleTimeout: .seconds(Int64(configuration.limits.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "vecd"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        let ingestion = IngestionService(
            store: store, drain: .seconds(configuration.shutdownDrainSeconds), logger: logger)
        // A group shuts its services down last first: ingestion stops (draining its running groups) before the
        // application stops taking requests.
        let group = ServiceGroup(
            services: [app, ingestion], gracefulShutdownSignals: handlesSignals ? [.sigterm, .sigint] : [], logger: logger)
        if let shutdown, shutdown.attach(group) { await group.triggerGracefulShutdown() }
        do {
            try await group.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE || error.errnoCode == EACCES {
            // Another program took the port after ServerStartError.checkAvailable, or nobody checked.
            throw ServerStartError.failure(errno: error.errnoCode, host: configuration.host, port: configuration.port)
        }
    }
}

/// Stops a running ``VecdServer`` gracefully from inside the process (tests, apps that embed the server).
public final class ServerShutdown: Sendable {
    private let state = Mutex<(group: ServiceGroup?, requested: Bool)>((nil, false))

    public init() {}

    /// Asks the server to drain and stop; `run` returns once it has. Safe to call before the server started.
    public func trigger() async {
        let group = state.withLock { state in
            state.requested = true
            return state.group
        }
        await group?.triggerGracefulShutdown()
    }

    /// Registers the group to stop; true when a shutdown was requested before it started.
    func attach(_ group: ServiceGroup) -> Bool {
        state.withLock { state in
            state.group = group
            return state.requested
        }
    }
}

/// The store and settings every route handler needs.
struct ServerServices: Sendable {
    let store: VecdStore
    let limits: ServerLimits
    let logger: Logger
    let metrics: MetricsRegistry
    let textGuard: ResponseTextGuard
}

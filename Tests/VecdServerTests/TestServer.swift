import Foundation
import Logging
import Vecd
import VecdEmbed
import VecdServer

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real vecd server on a free loopback port, over a temporary store, for one test. Requests go over real HTTP.
final class TestServer: Sendable {
    let store: VecdStore
    let baseURL: URL
    private let task: Task<Void, any Error>

    /// Starts a server with `configure` applied to its configuration (API keys, limits).
    static func start(
        embedder: (any Embedder)? = nil, configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        let store = try VecdStore.temporary(embedder: try embedder ?? HashingEmbedder())
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.ephemeral = true
        configure(&configuration)
        var logger = Logger(label: "vecd-test")
        logger.logLevel = .warning
        let server = VecdServer(configuration: configuration, store: store, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let shutdown = ServerShutdown()
        let task = Task {
            try await server.run(shutdown: shutdown, handlesSignals: false) { port in continuation.yield(port) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestServerError.didNotStart }
        return TestServer(
            store: store, baseURL: URL(string: "http://127.0.0.1:\(port)")!, task: task, shutdown: shutdown)
    }

    private let shutdown: ServerShutdown

    private init(store: VecdStore, baseURL: URL, task: Task<Void, any Error>, shutdown: ServerShutdown) {
        self.store = store
        self.baseURL = baseURL
        self.task = task
        self.shutdown = shutdown
    }

    deinit { task.cancel() }

    /// Stops the server gracefully and waits until it has.
    func stop() async {
        await shutdown.trigger()
        _ = await task.result
    }

    /// One HTTP exchange.
    struct Reply: Sendable {
        var status: Int
        var body: Data
        var headers: [String: String]

        /// The body as JSON (an object, an array or a scalar).
        func json() throws -> Any { try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }

        /// The body as a JSON object.
        func object() throws -> [String: Any] {
            guard let object = try json() as? [String: Any] else { throw TestServerError.notAnObject(text) }
            return object
        }

        var text: String { String(decoding: body, as: UTF8.self) }

        /// The `error.code` of a JSON error body.
        var errorCode: String? {
            ((try? object())?["error"] as? [String: Any])?["code"] as? String
        }
    }

    /// Sends `method path` with an optional JSON body (any JSONSerialization value, or raw bytes) and bearer key.
    func request(
        _ method: String, _ path: String, json: Any? = nil, rawBody: Data? = nil, key: String? = nil,
        headers: [String: String] = [:]
    ) async throws -> Reply {
        var request = URLRequest(url: URL(string: path, relativeTo: baseURL)!)
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed])
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let rawBody {
            request.httpBody = rawBody
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestServerError.notHTTP }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return Reply(status: http.statusCode, body: data, headers: fields)
    }
}

enum TestServerError: Error {
    case didNotStart, notHTTP
    case notAnObject(String)
}

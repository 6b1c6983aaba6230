import Foundation
import Logging
import Synchronization
import Testing
import Vecd
import VecdEmbed
import VecdServer

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `GET /metrics` (Prometheus text) and the structured request log.
@Suite("Metrics and request logs")
struct MetricsRouteTests {
    /// The value of the series `name{labels}` (labels exactly as rendered), nil when absent.
    static func sample(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test("requests are counted per method, route template and status, with cumulative latency buckets")
    func requestCounts() async throws {
        let server = try await TestServer.start()
        for text in ["the boiler was serviced in March", "the cat is called Mirko"] {
            #expect(try await server.request("POST", "/memory/add", json: ["content": text]).status == 201)
        }
        _ = try await server.request("GET", "/preferences/get?key=absent")
        _ = try await server.request("GET", "/no/such/route/\(UUID().uuidString)")
        let reply = try await server.request("GET", "/metrics")
        #expect(reply.status == 200)
        #expect(reply.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = reply.text
        #expect(Self.sample(text, #"vecd_http_requests_total{method="POST",route="/memory/add",status="201"}"#) == 2)
        #expect(Self.sample(text, #"vecd_http_requests_total{method="GET",route="/preferences/get",status="404"}"#) == 1)
        // An unknown path is one `unmatched` series, never a series per path.
        #expect(Self.sample(text, #"vecd_http_requests_total{method="GET",route="unmatched",status="404"}"#) == 1)
        #expect(!text.contains("no/such/route"))
        let base = #"method="POST",route="/memory/add",status="201""#
        #expect(Self.sample(text, "vecd_http_request_duration_seconds_bucket{\(base),le=\"+Inf\"}") == 2)
        #expect(Self.sample(text, "vecd_http_request_duration_seconds_count{\(base)}") == 2)
        #expect((Self.sample(text, "vecd_http_request_duration_seconds_sum{\(base)}") ?? -1) > 0)
        var previous = 0.0
        for bound in ["0.001", "0.01", "0.1", "1", "10"] {
            let count = try #require(Self.sample(text, "vecd_http_request_duration_seconds_bucket{\(base),le=\"\(bound)\"}"))
            #expect(count >= previous, "buckets must be cumulative")
            previous = count
        }
        #expect(Self.sample(text, #"vecd_collection_vectors{collection="_memories"}"#) == 2)
        #expect(Self.sample(text, "vecd_http_requests_in_flight") == 1)  // the scrape itself
        #expect((Self.sample(text, #"vecd_store_file_bytes{file="database"}"#) ?? 0) > 0)
        #expect((Self.sample(text, "process_resident_memory_bytes") ?? 0) > 1_000_000)
        await server.stop()
    }

    @Test("every line is a comment or a valid sample; each family has one HELP and one TYPE")
    func exposition() async throws {
        let server = try await TestServer.start()
        _ = try await server.request("GET", "/healthz")
        let text = try await server.request("GET", "/metrics").text
        let sampleLine = try Regex(#"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? [-+0-9.eEInfa]+$"#)
        var types: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                types[String(line.split(separator: " ")[2]), default: 0] += 1
            } else if !line.hasPrefix("# HELP ") {
                #expect(line.wholeMatch(of: sampleLine) != nil, "not a sample line: \(line)")
            }
        }
        #expect(types.values.allSatisfy { $0 == 1 })
        #expect(types["vecd_http_request_duration_seconds"] != nil)
        #expect(text.hasSuffix("\n"))
        await server.stop()
    }

    @Test("the cache counters sum the tenants' hits and misses")
    func cacheCounters() async throws {
        let server = try await TestServer.start()
        _ = try await server.store.cachePut(query: "what time is it", response: "noon", tenant: "t1")
        _ = try await server.store.cacheGet(query: "what time is it", tenant: "t1")
        _ = try await server.store.cacheGet(query: "completely unrelated question about boats", tenant: "t2")
        let text = try await server.request("GET", "/metrics").text
        #expect(Self.sample(text, "vecd_cache_hits_total") == 1)
        #expect(Self.sample(text, "vecd_cache_misses_total") == 1)
        #expect(Self.sample(text, "vecd_cache_hit_ratio") == 0.5)
        #expect(Self.sample(text, "vecd_cache_entries") == 1)
        await server.stop()
    }

    @Test("with keys configured, /metrics needs the admin role")
    func needsAdmin() async throws {
        let server = try await TestServer.start {
            $0.apiKeys = [
                APIKey(key: "metrics-admin-0123456789", tenant: "ops", role: .admin),
                APIKey(key: "metrics-writer-0123456789", tenant: "ops", role: .write),
            ]
        }
        #expect(try await server.request("GET", "/metrics").status == 401)
        let writer = try await server.request("GET", "/metrics", key: "metrics-writer-0123456789")
        #expect(writer.status == 403)
        #expect(writer.errorCode == "forbidden")
        #expect(try await server.request("GET", "/metrics", key: "metrics-admin-0123456789").status == 200)
        await server.stop()
    }

    @Test("each request is logged with method, route, status, duration and tenant, never the API key")
    func requestLog() async throws {
        let records = LogRecords()
        let key = "log-writer-key-0123456789"
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.apiKeys = [APIKey(key: key, tenant: "acme", role: .write)]
        let logger = Logger(label: "vecd-log-test") { _ in CapturingLogHandler(records: records) }
        let store = try VecdStore.temporary(embedder: try HashingEmbedder())
        let server = VecdServer(configuration: configuration, store: store, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let shutdown = ServerShutdown()
        let task = Task { try await server.run(shutdown: shutdown, handlesSignals: false) { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/memory/add")!)
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"content": "the heating turns on at six"}"#.utf8)
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 201)
        // A query string is not logged either (routes refuse parameters they do not take, so this one takes it).
        var search = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/memory/search?query=secret-query")!)
        search.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        let (_, searched) = try await URLSession.shared.data(for: search)
        #expect((searched as? HTTPURLResponse)?.statusCode == 200)
        await shutdown.trigger()
        _ = await task.result

        let line = try #require(records.all.first { $0.message == "request" })
        #expect(line.metadata["method"] == "POST")
        #expect(line.metadata["route"] == "/memory/add")
        #expect(line.metadata["status"] == "201")
        #expect(line.metadata["tenant"] == "acme")
        #expect(Double(line.metadata["duration_ms"] ?? "") != nil)
        let everything = records.all.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(!everything.contains(key))
        #expect(!everything.contains("secret-query"))
        #expect(!everything.contains("heating"))
    }
}

/// Log lines a test captured, as message and flattened metadata.
final class LogRecords: Sendable {
    struct Record: Sendable {
        var message: String
        var metadata: [String: String]
    }

    private let records = Mutex<[Record]>([])

    func append(_ record: Record) { records.withLock { $0.append(record) } }
    var all: [Record] { records.withLock { $0 } }
}

/// A swift-log handler that keeps every line in memory.
struct CapturingLogHandler: LogHandler {
    let records: LogRecords
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged: [String: String] = [:]
        for (key, value) in metadata { merged[key] = "\(value)" }
        for (key, value) in event.metadata ?? [:] { merged[key] = "\(value)" }
        records.append(.init(message: "\(event.message)", metadata: merged))
    }
}

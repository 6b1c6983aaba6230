import Foundation
import Hummingbird
import Vecd

/// `GET /metrics`: Prometheus text for the operator — requests per route and status with latency histograms,
/// vectors per collection, response-cache counters, store file sizes and the process's resident memory.
///
/// Needs the admin role when keys are configured. The figures are server-wide aggregates: no series is labelled
/// with a tenant, a user, an id or any stored text (routes appear as templates), so a scrape reveals sizes and
/// rates, never content. Deployments whose tenants must not see each other's volumes keep admin keys for the
/// operator.
struct MetricsRoutes {
    let services: ServerServices

    func register(on router: Router<ServerContext>) {
        router.get("metrics", use: metrics)
    }

    @Sendable func metrics(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.admin)
        var out = MetricsExposition()
        Self.writeRequests(services.metrics.snapshot(), to: &out)
        try Self.writeStore(services.store, to: &out)
        Self.writeProcess(startedAt: services.metrics.startedAt, to: &out)
        var headers = HTTPFields()
        headers[.contentType] = MetricsExposition.contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: out.text)))
    }

    static func writeRequests(_ snapshot: MetricsRegistry.Snapshot, to out: inout MetricsExposition) {
        out.family("vecd_http_requests_total", type: "counter", help: "HTTP requests answered, by method, route and status.")
        for (key, histogram) in snapshot.requests {
            out.sample("vecd_http_requests_total", labels(key), Double(histogram.count))
        }
        let name = "vecd_http_request_duration_seconds"
        out.family(name, type: "histogram", help: "Time from routing to the response head, by method, route and status.")
        for (key, histogram) in snapshot.requests {
            let base = labels(key)
            for (bound, count) in zip(MetricsRegistry.latencyBucketBounds, histogram.cumulativeCounts) {
                out.sample("\(name)_bucket", base + [(key: "le", value: MetricsExposition.format(bound))], Double(count))
            }
            out.sample("\(name)_bucket", base + [(key: "le", value: "+Inf")], Double(histogram.count))
            out.sample("\(name)_sum", base, histogram.sumSeconds)
            out.sample("\(name)_count", base, Double(histogram.count))
        }
        out.gauge("vecd_http_requests_in_flight", help: "Requests being handled now.", Double(snapshot.inFlight))
    }

    private static func labels(_ key: MetricsRegistry.SeriesKey) -> [(key: String, value: String)] {
        [(key: "method", value: key.method), (key: "route", value: key.route), (key: "status", value: String(key.status))]
    }

    static func writeStore(_ store: VecdStore, to out: inout MetricsExposition) throws {
        let statistics = try store.stats()
        let perCollection: [(name: String, help: String, value: (IndexStatistics) -> Int)] = [
            ("vecd_collection_vectors", "Live vectors in each collection's index.", \.indexedVectors),
            ("vecd_collection_stored_vectors", "Vectors SQLite holds per collection (equal to the index when healthy).",
             \.storedVectors),
            ("vecd_collection_segments", "Segment files per collection; compaction merges them.", \.segmentCount),
            ("vecd_collection_deleted_rows", "Deleted rows still in segment files; compaction reclaims them.",
             \.deletedRows),
            ("vecd_collection_unflushed_rows", "Rows in memory and the collection's WAL, not yet in a segment file.",
             \.unflushedRows),
            ("vecd_collection_file_bytes", "Bytes of the collection's index files (segments, bitmaps, manifest, WAL).",
             \.fileByteCount),
            ("vecd_collection_index_failed", "1 when the index missed a committed change since open (reindex fixes it).",
             { $0.indexFailure == nil ? 0 : 1 }),
        ]
        for family in perCollection {
            out.family(family.name, type: "gauge", help: family.help)
            for collection in statistics.collections {
                out.sample(family.name, [("collection", collection.name)], Double(family.value(collection)))
            }
        }
        out.gauge(
            "vecd_store_pending_changes", help: "Logged vector changes not yet covered by index files.",
            Double(statistics.pendingChanges))
        let cache = try store.cacheTotals()
        out.family("vecd_cache_hits_total", type: "counter", help: "Response-cache lookups that found an entry.")
        out.sample("vecd_cache_hits_total", Double(cache.hits))
        out.family("vecd_cache_misses_total", type: "counter", help: "Response-cache lookups that found none.")
        out.sample("vecd_cache_misses_total", Double(cache.misses))
        out.gauge("vecd_cache_hit_ratio", help: "Cache hits over lookups since the store was created.", cache.hitRate)
        out.gauge("vecd_cache_entries", help: "Entries in the response cache.", Double(cache.entries))
        out.gauge("vecd_cache_bytes", help: "Bytes of cached responses.", Double(cache.bytes))

        // SQLite's write-ahead log grows between checkpoints; a WAL that keeps growing means checkpoints starve.
        out.family("vecd_store_file_bytes", type: "gauge", help: "Size of the store's files, by kind.")
        let database = store.directory.appendingPathComponent(VecdStore.databaseFileName)
        out.sample("vecd_store_file_bytes", [("file", "database")], Double(fileSize(database.path)))
        out.sample("vecd_store_file_bytes", [("file", "database_wal")], Double(fileSize(database.path + "-wal")))
        out.sample("vecd_store_file_bytes", [("file", "directory_total")], Double(directorySize(store.directory)))
    }

    static func writeProcess(startedAt: Date, to out: inout MetricsExposition) {
        if let resident = residentMemoryBytes() {
            out.gauge("process_resident_memory_bytes", help: "Resident memory of the vecd process.", Double(resident))
        }
        out.gauge(
            "process_start_time_seconds", help: "When the server started, in seconds since the Unix epoch.",
            startedAt.timeIntervalSince1970.rounded())
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Sum of regular files' sizes under `directory` (the segment files and logs of every collection included).
    static func directorySize(_ directory: URL) -> Int {
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return 0 }
        var total = 0
        while walker.nextObject() != nil {
            guard walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular else { continue }
            total += (walker.fileAttributes?[.size] as? NSNumber)?.intValue ?? 0
        }
        return total
    }

    /// Resident set size from `/proc/self/statm` (pages × page size); nil where there is no procfs.
    static func residentMemoryBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

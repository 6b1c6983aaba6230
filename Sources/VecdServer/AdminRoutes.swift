import Foundation
import Hummingbird
import Vecd
import VecdIndex
import VecdKernels

/// Maintenance routes under `/v1/admin` (admin role): the store's figures and its consistency check.
///
/// `stats` counts only the caller's tenant's rows; collections are shared by every tenant, so their sizes (like
/// `/metrics`) are server-wide figures, with no ids or content of anyone.
struct AdminRoutes {
    let services: ServerServices

    func register(on router: Router<ServerContext>) {
        router.get("v1/admin/stats", use: stats)
        router.get("v1/admin/verify", use: verify)
    }

    struct CollectionStats: Encodable {
        var name: String
        var dimension: Int
        var metric: String
        var modelID: String
        var storage: String
        var vectors: Int

        enum CodingKeys: String, CodingKey {
            case name, dimension, metric, storage, vectors
            case modelID = "model_id"
        }
    }

    struct StoreFigures: Encodable {
        var databaseBytes: Int
        var walBytes: Int
        var directoryBytes: Int

        enum CodingKeys: String, CodingKey {
            case databaseBytes = "database_bytes"
            case walBytes = "wal_bytes"
            case directoryBytes = "directory_bytes"
        }
    }

    struct StatsResponse: Encodable {
        var tenant: String
        var rows: [String: Int]
        var cache: CacheStatsWire
        var collections: [CollectionStats]
        var store: StoreFigures
        /// The index figures `vecd stats` prints (server-wide, like `collections`).
        var index: StoreStatisticsWire
        var uptimeSeconds: Double

        enum CodingKeys: String, CodingKey {
            case tenant, rows, cache, collections, store, index
            case uptimeSeconds = "uptime_seconds"
        }
    }

    @Sendable func stats(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.admin)
        let store = services.store
        let cache = try store.cacheStats(tenant: caller.tenant)
        let collections = try store.collections().map { info throws in
            CollectionStats(
                name: info.name, dimension: info.dimension, metric: info.metric.rawValue, modelID: info.modelID,
                storage: info.storage.rawValue, vectors: try store.vectorCount(collection: info.name))
        }
        let database = store.directory.appendingPathComponent(VecdStore.databaseFileName).path
        let index = StoreStatisticsWire(try store.stats())
        return try JSONWire.response(
            StatsResponse(
                tenant: caller.tenant, rows: try store.rowCounts(tenant: caller.tenant),
                cache: CacheStatsWire(cache),
                collections: collections,
                store: StoreFigures(
                    databaseBytes: MetricsRoutes.fileSize(database),
                    walBytes: MetricsRoutes.fileSize(database + "-wal"),
                    directoryBytes: MetricsRoutes.directorySize(store.directory)),
                index: index,
                uptimeSeconds: (Date().timeIntervalSince(services.metrics.startedAt) * 1_000).rounded() / 1_000))
    }

    struct VerifyResponse: Encodable, Sendable {
        /// One collection's index as verify saw it, for a report that reads like `vecd verify`'s own.
        struct Collection: Encodable, Sendable {
            var name: String
            var storedVectors: Int
            var indexedVectors: Int
            var segments: Int
            /// Why the index files were unusable at open and rebuilt from SQLite: damage that verify reports.
            var rebuildReason: String?
            /// Rebuilt on request (`POST /v1/admin/reindex`) since the server started: not damage.
            var reindexed: Bool

            enum CodingKeys: String, CodingKey {
                case name, segments, reindexed
                case storedVectors = "stored_vectors"
                case indexedVectors = "indexed_vectors"
                case rebuildReason = "rebuild_reason"
            }
        }

        var consistent: Bool
        var integrity: String
        var storedVectors: [String: Int]
        var indexedVectors: [String: Int]
        var orphanVectors: Int
        var rowsWithoutVector: Int
        var indexProblems: [String: String]
        var collections: [Collection]

        enum CodingKeys: String, CodingKey {
            case consistent, integrity, collections
            case storedVectors = "stored_vectors"
            case indexedVectors = "indexed_vectors"
            case orphanVectors = "orphan_vectors"
            case rowsWithoutVector = "rows_without_vector"
            case indexProblems = "index_problems"
        }
    }

    /// Runs ``VecdStore/verify()``: 200 with the report whether or not it is consistent (the report says which);
    /// a store that cannot be read at all is a 500 from the error middleware. The live store is checked, so rows
    /// only in a collection's write-ahead log (not yet in a segment file) are counted too.
    @Sendable func verify(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.admin)
        let store = services.store
        // Off the event loop: the check reads every byte of every index file.
        let response = try await Task.detached { () throws -> VerifyResponse in
            let report = try store.verify()
            let statistics = try store.stats()
            return VerifyResponse(
                consistent: report.isConsistent, integrity: report.integrity, storedVectors: report.storedVectors,
                indexedVectors: report.indexedVectors, orphanVectors: report.orphanVectors,
                rowsWithoutVector: report.rowsWithoutVector, indexProblems: report.indexProblems,
                collections: statistics.collections.map {
                    .init(
                        name: $0.name, storedVectors: $0.storedVectors, indexedVectors: $0.indexedVectors,
                        segments: $0.segmentCount, rebuildReason: $0.rebuildReason, reindexed: $0.reindexed)
                })
        }.value
        return try JSONWire.response(response)
    }
}

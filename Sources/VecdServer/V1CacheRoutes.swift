import Foundation
import Hummingbird
import Vecd

/// `/v1/cache`: the response cache (seed 002's `response_cache`) with exact and semantic lookup.
///
/// A lookup tries the normalized query first (`match: "exact"`), then, unless `semantic` is false, the nearest
/// cached query of the same tenant and model that the store's similarity threshold and near-duplicate guard accept
/// (`match: "semantic"` with its cosine similarity). A miss is a 200 with `hit: false`: it is an answer, not an error.
struct V1CacheRoutes {
    let services: ServerServices

    func register(on router: Router<ServerContext>) {
        let v1 = router.group("v1")
        v1.post("cache", use: put)
        v1.get("cache", use: lookupByQueryString)
        v1.post("cache/lookup", use: lookup)
        v1.get("cache/stats", use: stats)
        v1.delete("cache", use: clear)
    }

    // MARK: - Wire shapes

    struct EntryBody: Encodable {
        var query: String
        var response: String
        var modelID: String
        var metadata: Metadata
        var hitCount: Int
        /// UTF-8 bytes of query and response, what the cache's byte limit counts.
        var bytes: Int
        var createdAt: String
        /// Null for an entry that never expires.
        @NullEncoded var expiresAt: String?
        var lastAccessedAt: String

        enum CodingKeys: String, CodingKey {
            case query, response, metadata, bytes
            case modelID = "model_id"
            case hitCount = "hit_count"
            case createdAt = "created_at"
            case expiresAt = "expires_at"
            case lastAccessedAt = "last_accessed_at"
        }

        init(_ entry: CacheEntry) {
            query = entry.query
            response = entry.response
            modelID = entry.modelID
            metadata = entry.metadata
            hitCount = entry.hitCount
            bytes = entry.byteCount
            createdAt = WireDate.format(entry.createdAt)
            expiresAt = entry.expiresAt.map(WireDate.format)
            lastAccessedAt = WireDate.format(entry.lastAccessedAt)
        }
    }

    struct PutRequest: Decodable {
        var query: String
        var response: String
        /// The embedding model the entry is keyed by; the store's embedder when absent.
        var modelID: String?
        /// Lifetime in seconds (> 0); the store's default (seed 002: 3600) when absent.
        var ttlSeconds: Double?
        /// Keep the entry until it is evicted or cleared; excludes `ttl_seconds`.
        var neverExpires: Bool?
        var metadata: Metadata?
        /// The query's vector, used for semantic lookups instead of embedding `query`.
        var vector: [Float]?

        enum CodingKeys: String, CodingKey {
            case query, response, metadata, vector
            case modelID = "model_id"
            case ttlSeconds = "ttl_seconds"
            case neverExpires = "never_expires"
        }
    }

    struct LookupRequest: Decodable {
        var query: String
        var modelID: String?
        /// False for exact matches only; default true.
        var semantic: Bool?
        var vector: [Float]?

        enum CodingKeys: String, CodingKey {
            case query, semantic, vector
            case modelID = "model_id"
        }
    }

    struct LookupResponse: Encodable {
        var hit: Bool
        /// `exact`, `semantic`, or null on a miss.
        @NullEncoded var match: String?
        /// 1 for an exact hit, the cosine similarity of a semantic one, null on a miss.
        @NullEncoded var similarity: Double?
        @NullEncoded var entry: EntryBody?

        init(_ hit: CacheHit?) {
            self.hit = hit != nil
            switch hit?.match {
            case .exact:
                match = "exact"
                similarity = 1
            case .semantic(let value):
                match = "semantic"
                similarity = value
            case nil:
                match = nil
                similarity = nil
            }
            entry = hit.map { EntryBody($0.entry) }
        }
    }

    // MARK: - Handlers

    @Sendable func put(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let body = try await JSONWire.decode(PutRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let ttl: Double?
        switch (body.ttlSeconds, body.neverExpires ?? false) {
        case (.some, true): throw APIError.invalidArgument("give ttl_seconds or never_expires, not both")
        case (_, true): ttl = .infinity
        case (let seconds, false): ttl = seconds
        }
        // The store keeps expiry in milliseconds: a shorter lifetime would round to an entry that never lived.
        if let seconds = body.ttlSeconds, !(seconds >= 0.001 && seconds <= VecdStore.maxCacheTTLSeconds) {
            throw APIError.invalidArgument(
                "ttl_seconds must be between 0.001 (one millisecond) and \(Int(VecdStore.maxCacheTTLSeconds)) "
                    + "(100 years), got \(seconds); for no expiry send never_expires: true")
        }
        let entry = try await services.store.cachePut(
            query: body.query, response: body.response, tenant: caller.tenant, modelID: body.modelID,
            ttlSeconds: ttl, metadata: body.metadata ?? [:], vector: body.vector)
        return try JSONWire.response(EntryBody(entry), status: .created)
    }

    /// `GET /v1/cache?query=&model_id=&semantic=`: a lookup by text, for clients that do not send vectors.
    @Sendable func lookupByQueryString(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let query = QueryParameters(request)
        let hit = try await services.store.cacheGet(
            query: try query.requiredString("query"), tenant: caller.tenant, modelID: query.string("model_id"),
            semantic: try query.bool("semantic", default: true))
        return try JSONWire.response(LookupResponse(hit))
    }

    @Sendable func lookup(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let body = try await JSONWire.decode(LookupRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let hit = try await services.store.cacheGet(
            query: body.query, tenant: caller.tenant, modelID: body.modelID, semantic: body.semantic ?? true,
            vector: body.vector)
        return try JSONWire.response(LookupResponse(hit))
    }

    @Sendable func stats(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let stats = try services.store.cacheStats(tenant: caller.tenant)
        return try JSONWire.response(
            CacheStatsWire(stats))
    }

    /// Removes the expired entries, or every entry of the tenant with `?all=true`.
    @Sendable func clear(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let removed = try services.store.clearCache(
            tenant: caller.tenant, all: try QueryParameters(request).bool("all"))
        return try JSONWire.response(RemovedWire(removed: removed))
    }
}

import Foundation
import Hummingbird
import NIOCore
import Vecd

/// The AI gateway's memory router (seed 002), with its request shapes unchanged so its curl examples and Python
/// client work against vecd as they did against Postgres + pgvector.
struct SeedMemoryRoutes {
    let services: ServerServices

    func register(on router: Router<ServerContext>) {
        router.post("memory/add", use: addMemory)
        router.get("memory/search", use: searchMemories)
        router.post("preferences/set", use: setPreference)
        router.get("preferences/get", use: getPreference)
        router.post("training/feedback", use: recordFeedback)
        router.get("training/export", use: exportTraining)
        router.get("cache/stats", use: cacheStats)
        router.delete("cache/clear", use: clearCache)
    }

    struct AddMemoryRequest: Decodable {
        var content: String
        var tags: [String]?
        var source: String?
        var scope: MemoryScope?
        var userID: String?
        var metadata: Metadata?
        var vector: [Float]?

        enum CodingKeys: String, CodingKey {
            case content, tags, source, scope, metadata, vector
            case userID = "user_id"
        }
    }

    struct AddMemoryResponse: Encodable {
        var id: String
        var merged: Bool
    }

    @Sendable func addMemory(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let body = try await JSONWire.decode(AddMemoryRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let scope = body.scope ?? .tenant
        let input = MemoryInput(
            content: body.content, scope: scope, userID: try caller.actingUser(requested: body.userID),
            tags: body.tags ?? [], source: body.source, metadata: body.metadata ?? [:], vector: body.vector)
        let result = try await services.store.addMemory(input, tenant: caller.tenant, allowGlobal: caller.role == .admin)
        return try JSONWire.response(AddMemoryResponse(id: result.memory.id, merged: result.merged), status: .created)
    }

    struct MemoryResult: Encodable {
        var id: String
        var content: String
        var tags: [String]
        @NullEncoded var source: String?  // null rather than absent: the seed's column is nullable
        var score: Double
        var createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, content, tags, source, score
            case createdAt = "created_at"
        }

        init(_ hit: MemoryHit) {
            id = hit.memory.id
            content = hit.memory.content
            tags = hit.memory.tags
            source = hit.memory.source
            score = hit.score
            createdAt = WireDate.format(hit.memory.createdAt)
        }
    }

    struct Results<Item: Encodable>: Encodable {
        var results: [Item]
    }

    @Sendable func searchMemories(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let query = QueryParameters(request)
        let text = try query.requiredString("query")
        let limit = try query.int("limit", default: 10, in: 1...services.limits.maxK)
        let viewer = MemoryViewer(
            tenantID: caller.tenant, userID: try caller.actingUser(requested: query.string("user_id")),
            tags: query.string("tags").map { $0.split(separator: ",").map(String.init) } ?? [])
        let hits = try await services.store.searchMemories(.text(text), viewer: viewer, k: limit)
        return try JSONWire.response(Results(results: hits.map(MemoryResult.init)))
    }

    struct SetPreferenceRequest: Decodable {
        var key: String
        var value: JSONValue
        var category: String?
        var userID: String?

        enum CodingKeys: String, CodingKey {
            case key, value, category
            case userID = "user_id"
        }
    }

    struct PreferenceResponse: Encodable {
        var key: String
        var value: JSONValue
        @NullEncoded var category: String?
        var updatedAt: String

        enum CodingKeys: String, CodingKey {
            case key, value, category
            case updatedAt = "updated_at"
        }

        init(_ preference: Preference) {
            key = preference.key
            value = preference.value
            category = preference.category
            updatedAt = WireDate.format(preference.updatedAt)
        }
    }

    @Sendable func setPreference(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let body = try await JSONWire.decode(SetPreferenceRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let preference = try services.store.setPreference(
            key: body.key, value: body.value, category: body.category, tenant: caller.tenant,
            userID: try caller.actingUser(requested: body.userID))
        return try JSONWire.response(PreferenceResponse(preference))
    }

    @Sendable func getPreference(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let query = QueryParameters(request)
        let preference = try services.store.preference(
            key: try query.requiredString("key"), tenant: caller.tenant,
            userID: try caller.actingUser(requested: query.string("user_id")))
        return try JSONWire.response(PreferenceResponse(preference))
    }

    struct FeedbackRequest: Decodable {
        var interactionID: String
        var score: Int
        var comment: String?
        var metadata: Metadata?

        enum CodingKeys: String, CodingKey {
            case score, comment, metadata
            case interactionID = "interaction_id"
        }
    }

    struct IDResponse: Encodable {
        var id: String
    }

    @Sendable func recordFeedback(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let body = try await JSONWire.decode(FeedbackRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let feedback = try services.store.recordFeedback(
            FeedbackInput(
                interactionID: body.interactionID, score: body.score, comment: body.comment,
                metadata: body.metadata ?? [:]),
            tenant: caller.tenant)
        return try JSONWire.response(IDResponse(id: feedback.id), status: .created)
    }

    @Sendable func exportTraining(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let query = QueryParameters(request)
        let markExported = try query.bool("mark_exported")
        if markExported { _ = try context.require(.write) }
        let selection = VecdStore.TrainingSelection(
            since: try query.date("since"), onlyUnexported: try query.bool("only_unexported"))
        let lines = TrainingExportStream.start(
            store: services.store, selection: selection, tenant: caller.tenant, markExported: markExported,
            logger: services.logger)
        var headers = HTTPFields()
        headers[.contentType] = "application/x-ndjson"
        return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: lines))
    }

    @Sendable func cacheStats(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let stats = try services.store.cacheStats(tenant: caller.tenant)
        return try JSONWire.response(
            CacheStatsWire(stats))
    }

    @Sendable func clearCache(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let removed = try services.store.clearCache(tenant: caller.tenant, all: try QueryParameters(request).bool("all"))
        return try JSONWire.response(RemovedWire(removed: removed))
    }
}

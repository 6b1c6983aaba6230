import Foundation
import Hummingbird
import Vecd

/// `/v1/memories`: short rules and facts scoped to a user, a tenant or every tenant (global, admin only), with
/// near-duplicate merging on add, vector and full-text search, and the viewer rules of ``MemoryViewer``.
///
/// A caller sees its tenant's memories, the user-scope memories of the user it acts for (`user_id`, or the user its
/// key is bound to), and the global ones. A memory it cannot see answers 404, never 403, so ids of other tenants and
/// users are not revealed.
struct V1MemoryRoutes {
    let services: ServerServices

    func register(on router: Router<ServerContext>) {
        let v1 = router.group("v1")
        v1.post("memories", use: add)
        v1.get("memories", use: list)
        v1.post("memories/search", use: search)
        v1.post("memories/search/text", use: searchText)
        v1.get("memories/:id", use: get)
        v1.patch("memories/:id", use: update)
        v1.delete("memories/:id", use: delete)
    }

    // MARK: - Wire shapes

    /// A memory as the /v1 API answers it.
    struct MemoryBody: Encodable, Sendable {
        var id: String
        var scope: String
        @NullEncoded var userID: String?
        var content: String
        var tags: [String]
        @NullEncoded var source: String?
        var metadata: Metadata
        var createdAt: String
        var updatedAt: String

        enum CodingKeys: String, CodingKey {
            case id, scope, content, tags, source, metadata
            case userID = "user_id"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }

        init(_ memory: Memory) {
            id = memory.id
            scope = memory.scope.rawValue
            userID = memory.userID
            content = memory.content
            tags = memory.tags
            source = memory.source
            metadata = memory.metadata
            createdAt = WireDate.format(memory.createdAt)
            updatedAt = WireDate.format(memory.updatedAt)
        }
    }

    struct AddRequest: Decodable {
        var content: String
        var scope: String?
        var userID: String?
        var tags: [String]?
        var source: String?
        var metadata: Metadata?
        var vector: [Float]?

        enum CodingKeys: String, CodingKey {
            case content, scope, tags, source, metadata, vector
            case userID = "user_id"
        }
    }

    struct AddResponse: Encodable {
        var id: String
        var merged: Bool
        /// Cosine similarity to the memory it merged into; null when it was added.
        @NullEncoded var similarity: Double?
        var memory: MemoryBody
    }

    struct ListResponse: Encodable {
        var memories: [MemoryBody]
    }

    /// The viewer part of a search body: whose memories, which scopes, which tags.
    struct SearchRequest: Decodable {
        var query: String?
        var vector: [Float]?
        var k: Int?
        var userID: String?
        var scopes: [String]?
        var tags: [String]?
        var minScore: Double?

        enum CodingKeys: String, CodingKey {
            case query, vector, k, scopes, tags
            case userID = "user_id"
            case minScore = "min_score"
        }
    }

    struct Hit: Encodable {
        var score: Double
        var memory: MemoryBody
    }

    struct SearchResponse: Encodable {
        var results: [Hit]
    }

    struct UpdateRequest: Decodable {
        var content: String?
        var tags: [String]?
        var vector: [Float]?
    }

    // MARK: - Handlers

    @Sendable func add(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let body = try await JSONWire.decode(AddRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let userID = try caller.actingUser(requested: body.userID)
        // Without a scope, a memory naming a user (or added by a user-bound key) is that user's own.
        let scope = try body.scope.map(Self.scope) ?? (userID == nil ? .tenant : .user)
        if scope == .global && caller.role != .admin {
            throw APIError.forbidden("global memories are visible to every tenant; adding one needs the admin role")
        }
        let input = MemoryInput(
            content: body.content, scope: scope, userID: userID, tags: body.tags ?? [], source: body.source,
            metadata: body.metadata ?? [:], vector: body.vector)
        let result = try await services.store.addMemory(
            input, tenant: caller.tenant, allowGlobal: caller.role == .admin)
        return try JSONWire.response(
            AddResponse(
                id: result.memory.id, merged: result.merged, similarity: result.similarity,
                memory: MemoryBody(result.memory)),
            status: result.merged ? .ok : .created)
    }

    @Sendable func list(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let query = QueryParameters(request)
        let viewer = MemoryViewer(
            tenantID: caller.tenant, userID: try caller.actingUser(requested: query.string("user_id")),
            scopes: try Self.scopes(V1Wire.list(query.string("scope"))),
            tags: V1Wire.list(query.string("tags")))
        let limit = try query.int("limit", default: 100, in: 1...services.limits.maxK)
        let offset = try query.int("offset", default: 0, in: 0...Int(Int32.max))
        let memories = try services.store.memories(viewer, limit: limit, offset: offset)
        return try JSONWire.response(ListResponse(memories: memories.map(MemoryBody.init)))
    }

    @Sendable func search(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let body = try await JSONWire.decode(SearchRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let input: TextOrVector
        switch (body.query, body.vector) {
        case (let text?, nil): input = .text(text)
        case (nil, let vector?): input = .vector(vector)
        case (nil, nil): throw APIError.invalidArgument("a memory search needs query (text) or vector")
        case (.some, .some): throw APIError.invalidArgument("give query or vector, not both")
        }
        let k = body.k ?? 10
        try V1Wire.checkK(k, maxK: services.limits.maxK)
        let hits = try await services.store.searchMemories(
            input, viewer: try viewer(body, caller: caller), k: k, minScore: body.minScore)
        return try JSONWire.response(
            SearchResponse(results: hits.map { Hit(score: $0.score, memory: .init($0.memory)) }))
    }

    @Sendable func searchText(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let body = try await JSONWire.decode(SearchRequest.self, from: request, limit: services.limits.maxBodyBytes)
        guard let text = body.query else { throw APIError.invalidArgument("a full-text search needs query") }
        guard body.vector == nil else { throw APIError.invalidArgument("a full-text search takes no vector") }
        let k = body.k ?? 10
        try V1Wire.checkK(k, maxK: services.limits.maxK)
        var hits = try services.store.fullTextSearchMemories(text, viewer: try viewer(body, caller: caller), k: k)
        if let minScore = body.minScore { hits.removeAll { $0.score < minScore } }
        return try JSONWire.response(
            SearchResponse(results: hits.map { Hit(score: $0.score, memory: .init($0.memory)) }))
    }

    @Sendable func get(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let memory = try visibleMemory(request, context: context, caller: caller)
        return try JSONWire.response(MemoryBody(memory))
    }

    @Sendable func update(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let body = try await JSONWire.decode(UpdateRequest.self, from: request, limit: services.limits.maxBodyBytes)
        guard body.content != nil || body.tags != nil || body.vector != nil else {
            throw APIError.invalidArgument("an update needs content, tags or vector")
        }
        let memory = try changeableMemory(request, context: context, caller: caller)
        let updated = try await services.store.updateMemory(
            id: memory.id, tenant: caller.tenant, content: body.content, tags: body.tags, vector: body.vector,
            allowGlobal: caller.role == .admin)
        return try JSONWire.response(MemoryBody(updated))
    }

    @Sendable func delete(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let memory = try changeableMemory(request, context: context, caller: caller)
        try services.store.deleteMemory(id: memory.id, tenant: caller.tenant, allowGlobal: caller.role == .admin)
        return V1Wire.noContent()
    }

    // MARK: - Helpers

    /// The memory named in the path, if the caller (acting for `?user_id=`) sees it.
    private func visibleMemory(_ request: Request, context: ServerContext, caller: Principal) throws -> Memory {
        let id = try V1Wire.pathParameter("id", in: context)
        let viewer = MemoryViewer(
            tenantID: caller.tenant,
            userID: try caller.actingUser(requested: QueryParameters(request).string("user_id")))
        return try services.store.memory(id: id, viewer: viewer)
    }

    /// ``visibleMemory(_:context:caller:)``, refused with 403 when it is global and the caller is not an admin.
    private func changeableMemory(_ request: Request, context: ServerContext, caller: Principal) throws -> Memory {
        let memory = try visibleMemory(request, context: context, caller: caller)
        if memory.scope == .global && caller.role != .admin {
            throw APIError.forbidden("global memory \(memory.id) can be changed by the admin role only")
        }
        return memory
    }

    private func viewer(_ body: SearchRequest, caller: Principal) throws -> MemoryViewer {
        MemoryViewer(
            tenantID: caller.tenant, userID: try caller.actingUser(requested: body.userID),
            scopes: try Self.scopes(body.scopes ?? []), tags: body.tags ?? [])
    }

    static func scope(_ text: String) throws -> MemoryScope {
        guard let scope = MemoryScope(rawValue: text) else {
            throw APIError.invalidArgument(
                "scope must be one of \(MemoryScope.allCases.map(\.rawValue).joined(separator: ", ")), got \(text)")
        }
        return scope
    }

    /// Scope names as a viewer restriction; an empty list is no restriction.
    static func scopes(_ names: [String]) throws -> [MemoryScope]? {
        names.isEmpty ? nil : try names.map(scope)
    }
}

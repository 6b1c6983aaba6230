import Foundation
import Hummingbird
import Vecd

/// `/v1/knowledge`: seed 003's knowledge items — add, read, find similar (text or raw vector), contextual lookup
/// by retrieval triggers, validation, access counting, relationships and deletion. Every item belongs to the
/// caller's tenant.
struct V1KnowledgeRoutes {
    let services: ServerServices

    func register(on router: Router<ServerContext>) {
        let v1 = router.group("v1")
        v1.post("knowledge", use: add)
        v1.post("knowledge/similar", use: similar)
        v1.post("knowledge/contextual", use: contextual)
        v1.get("knowledge/:id", use: get)
        v1.delete("knowledge/:id", use: delete)
        v1.post("knowledge/:id/validate", use: validate)
        v1.post("knowledge/:id/access", use: recordAccess)
        v1.post("knowledge/:id/relationships", use: relate)
        v1.get("knowledge/:id/relationships", use: relationships)
    }

    struct AddRequest: Decodable {
        var type: KnowledgeType
        var category: String
        var subcategory: String?
        var title: String
        var content: String
        var contextData: Metadata?
        var importance: Int?
        var retrievalTriggers: [String]?
        var validationStatus: ValidationStatus?
        var createdBy: String?
        var vector: [Float]?

        enum CodingKeys: String, CodingKey {
            case type, category, subcategory, title, content, importance, vector
            case contextData = "context_data"
            case retrievalTriggers = "retrieval_triggers"
            case validationStatus = "validation_status"
            case createdBy = "created_by"
        }
    }

    @Sendable func add(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let body = try await JSONWire.decode(AddRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let triggers = body.retrievalTriggers ?? []
        try V1Wire.checkBatch(triggers.count, what: "retrieval_triggers", maxBatch: services.limits.maxBatch)
        let item = try await services.store.addKnowledgeItem(
            KnowledgeItemInput(
                type: body.type, category: body.category, subcategory: body.subcategory, title: body.title,
                content: body.content, contextData: body.contextData ?? [:], importance: body.importance ?? 50,
                retrievalTriggers: triggers, validationStatus: body.validationStatus ?? .pending,
                createdBy: body.createdBy, vector: body.vector),
            tenant: caller.tenant)
        return try JSONWire.response(KnowledgeWire(item), status: .created)
    }

    @Sendable func get(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let id = try V1Wire.pathParameter("id", in: context)
        let item = try services.store.knowledgeItem(id: id, tenant: caller.tenant)
        return try JSONWire.response(KnowledgeWire(item))
    }

    @Sendable func delete(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        try services.store.deleteKnowledgeItem(id: try V1Wire.pathParameter("id", in: context), tenant: caller.tenant)
        return V1Wire.noContent()
    }

    struct SimilarRequest: Decodable {
        var query: String?
        var vector: [Float]?
        var type: KnowledgeType?
        var limit: Int?
        var threshold: Double?
    }

    struct ResultsResponse: Encodable {
        var results: [KnowledgeWire]
    }

    /// Seed 003's `find_similar_knowledge`: items at least `threshold` (default 0.7) similar, best first.
    @Sendable func similar(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let body = try await JSONWire.decode(SimilarRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let query: TextOrVector
        switch (body.query, body.vector) {
        case (let text?, nil): query = .text(text)
        case (nil, let vector?): query = .vector(vector)
        case (nil, nil): throw APIError.invalidArgument("similar knowledge needs query (text) or vector")
        case (_?, _?): throw APIError.invalidArgument("similar knowledge takes query or vector, not both")
        }
        let matches = try await services.store.findSimilarKnowledge(
            query, type: body.type, limit: try limit(body.limit, default: 10), threshold: body.threshold ?? 0.7,
            tenant: caller.tenant)
        return try JSONWire.response(
            ResultsResponse(results: matches.map { KnowledgeWire($0.item, similarity: $0.similarity) }))
    }

    struct ContextualRequest: Decodable {
        var situation: String
        var projectContext: String?
        var limit: Int?

        enum CodingKeys: String, CodingKey {
            case situation, limit
            case projectContext = "project_context"
        }
    }

    /// Seed 003's `get_contextual_knowledge`: items whose triggers occur in `situation` or whose
    /// `context_data.project` is `project_context`, most important first.
    @Sendable func contextual(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let body = try await JSONWire.decode(
            ContextualRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let items = try services.store.contextualKnowledge(
            situation: body.situation, projectContext: body.projectContext,
            limit: try limit(body.limit, default: 20), tenant: caller.tenant)
        return try JSONWire.response(ResultsResponse(results: items.map { KnowledgeWire($0) }))
    }

    struct ValidateRequest: Decodable {
        var status: ValidationStatus
    }

    /// Sets the validation status and answers with the updated item.
    @Sendable func validate(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let id = try V1Wire.pathParameter("id", in: context)
        let body = try await JSONWire.decode(ValidateRequest.self, from: request, limit: services.limits.maxBodyBytes)
        try services.store.setKnowledgeValidation(id: id, body.status, tenant: caller.tenant)
        return try JSONWire.response(KnowledgeWire(try services.store.knowledgeItem(id: id, tenant: caller.tenant)))
    }

    struct AccessRequest: Decodable {
        var sessionID: String?
        var interaction: KnowledgeInteraction?
        var effectivenessRating: Int?
        var notes: String?

        enum CodingKeys: String, CodingKey {
            case interaction, notes
            case sessionID = "session_id"
            case effectivenessRating = "effectiveness_rating"
        }
    }

    /// Counts a use of the item (and links it to a session when given); answers with the updated item.
    @Sendable func recordAccess(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let id = try V1Wire.pathParameter("id", in: context)
        let body = try await JSONWire.decode(AccessRequest.self, from: request, limit: services.limits.maxBodyBytes)
        try services.store.recordKnowledgeAccess(
            id: id, sessionID: body.sessionID, interaction: body.interaction ?? .accessed,
            effectivenessRating: body.effectivenessRating, notes: body.notes, tenant: caller.tenant)
        return try JSONWire.response(KnowledgeWire(try services.store.knowledgeItem(id: id, tenant: caller.tenant)))
    }

    struct RelateRequest: Decodable {
        var targetID: String
        var type: RelationshipType
        var strength: Double?
        var sessionID: String?
        var context: String?

        enum CodingKeys: String, CodingKey {
            case type, strength, context
            case targetID = "target_id"
            case sessionID = "session_id"
        }
    }

    /// Adds an edge from the item in the path to `target_id` (strength default 0.5); a repeated edge is 409.
    @Sendable func relate(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let id = try V1Wire.pathParameter("id", in: context)
        let body = try await JSONWire.decode(RelateRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let relationship = try services.store.relateKnowledge(
            from: id, to: body.targetID, type: body.type, strength: body.strength ?? 0.5, sessionID: body.sessionID,
            context: body.context, tenant: caller.tenant)
        return try JSONWire.response(RelationshipWire(relationship), status: .created)
    }

    struct RelationshipsResponse: Encodable {
        var relationships: [RelationshipWire]
    }

    /// The edges that start or end at the item, strongest first.
    @Sendable func relationships(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let id = try V1Wire.pathParameter("id", in: context)
        _ = try services.store.knowledgeItem(id: id, tenant: caller.tenant)  // 404 for an unknown or foreign item
        let edges = try services.store.knowledgeRelationships(of: id, tenant: caller.tenant)
        return try JSONWire.response(RelationshipsResponse(relationships: edges.map(RelationshipWire.init)))
    }

    private func limit(_ value: Int?, default defaultValue: Int) throws -> Int {
        let limit = value ?? defaultValue
        try V1Wire.checkK(limit, name: "limit", maxK: services.limits.maxK)
        return limit
    }
}

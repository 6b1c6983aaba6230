import Foundation
import Vecd

/// A knowledge item on the wire; `similarity` is present only in similarity search results.
struct KnowledgeWire: Encodable, Sendable {
    var id: String
    var type: String
    var category: String
    @NullEncoded var subcategory: String?
    var title: String
    var content: String
    var contextData: Metadata
    var importance: Int
    var retrievalTriggers: [String]
    var validationStatus: String
    var accessCount: Int
    @NullEncoded var lastAccessedAt: String?
    @NullEncoded var createdBy: String?
    var createdAt: String
    var updatedAt: String
    var similarity: Double?

    enum CodingKeys: String, CodingKey {
        case id, type, category, subcategory, title, content, importance, similarity
        case contextData = "context_data"
        case retrievalTriggers = "retrieval_triggers"
        case validationStatus = "validation_status"
        case accessCount = "access_count"
        case lastAccessedAt = "last_accessed_at"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ item: KnowledgeItem, similarity: Double? = nil) {
        id = item.id
        type = item.type.rawValue
        category = item.category
        subcategory = item.subcategory
        title = item.title
        content = item.content
        contextData = item.contextData
        importance = item.importance
        retrievalTriggers = item.retrievalTriggers
        validationStatus = item.validationStatus.rawValue
        accessCount = item.accessCount
        lastAccessedAt = item.lastAccessedAt.map(WireDate.format)
        createdBy = item.createdBy
        createdAt = WireDate.format(item.createdAt)
        updatedAt = WireDate.format(item.updatedAt)
        self.similarity = similarity
    }
}

/// A typed, weighted edge between two knowledge items on the wire.
struct RelationshipWire: Encodable, Sendable {
    var id: String
    var sourceID: String
    var targetID: String
    var type: String
    var strength: Double
    @NullEncoded var sessionID: String?
    @NullEncoded var context: String?
    var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, type, strength, context
        case sourceID = "source_id"
        case targetID = "target_id"
        case sessionID = "session_id"
        case createdAt = "created_at"
    }

    init(_ relationship: KnowledgeRelationship) {
        id = relationship.id
        sourceID = relationship.sourceID
        targetID = relationship.targetID
        type = relationship.type.rawValue
        strength = relationship.strength
        sessionID = relationship.sessionID
        context = relationship.context
        createdAt = WireDate.format(relationship.createdAt)
    }
}

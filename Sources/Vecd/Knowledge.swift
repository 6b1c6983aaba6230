public import Foundation

/// Seed 003's knowledge types.
public enum KnowledgeType: String, Sendable, CaseIterable, Codable {
    case factual, procedural, contextual, relational, experiential
    case technicalDiscovery = "technical_discovery"
}

/// Seed 003's validation states.
public enum ValidationStatus: String, Sendable, CaseIterable, Codable {
    case pending, validated, deprecated
    case needsUpdate = "needs_update"
}

/// Seed 003's relationship types between knowledge items.
public enum RelationshipType: String, Sendable, CaseIterable, Codable {
    case enhances, contradicts
    case dependsOn = "depends_on"
    case buildsUpon = "builds_upon"
    case requiredFor = "required_for"
    case similarTo = "similar_to"
}

/// How a session touched a knowledge item (seed 003's `session_knowledge_links.interaction_type`).
public enum KnowledgeInteraction: String, Sendable, CaseIterable, Codable {
    case accessed, created, updated, validated, breakthrough, applied
}

/// A knowledge item to add.
public struct KnowledgeItemInput: Sendable {
    public var type: KnowledgeType
    public var category: String
    public var subcategory: String?
    public var title: String
    public var content: String
    /// Structured detail; seed 003's specialised tables (gotchas, command patterns, decisions) live here.
    public var contextData: Metadata
    /// 1…100.
    public var importance: Int
    /// Keywords that pull the item into ``VecdStore/contextualKnowledge(situation:projectContext:limit:tenant:)``.
    public var retrievalTriggers: [String]
    public var validationStatus: ValidationStatus
    public var createdBy: String?
    /// The vector to store instead of embedding title and content.
    public var vector: [Float]?

    public init(
        type: KnowledgeType, category: String, subcategory: String? = nil, title: String, content: String,
        contextData: Metadata = [:], importance: Int = 50, retrievalTriggers: [String] = [],
        validationStatus: ValidationStatus = .pending, createdBy: String? = nil, vector: [Float]? = nil
    ) {
        self.type = type
        self.category = category
        self.subcategory = subcategory
        self.title = title
        self.content = content
        self.contextData = contextData
        self.importance = importance
        self.retrievalTriggers = retrievalTriggers
        self.validationStatus = validationStatus
        self.createdBy = createdBy
        self.vector = vector
    }
}

/// A stored knowledge item.
public struct KnowledgeItem: Sendable, Equatable {
    public var id: String
    public var tenantID: String
    public var type: KnowledgeType
    public var category: String
    public var subcategory: String?
    public var title: String
    public var content: String
    public var contextData: Metadata
    public var importance: Int
    public var retrievalTriggers: [String]
    public var validationStatus: ValidationStatus
    public var accessCount: Int
    public var lastAccessedAt: Date?
    public var createdBy: String?
    public var createdAt: Date
    public var updatedAt: Date
}

/// A result of ``VecdStore/findSimilarKnowledge(_:type:limit:threshold:tenant:)``.
public struct KnowledgeMatch: Sendable, Equatable {
    public var item: KnowledgeItem
    /// `1 - cosine distance`, as seed 003's `similarity_score`.
    public var similarity: Double
}

/// A typed, weighted edge between two knowledge items.
public struct KnowledgeRelationship: Sendable, Equatable {
    public var id: String
    public var sourceID: String
    public var targetID: String
    public var type: RelationshipType
    /// 0…1.
    public var strength: Double
    public var sessionID: String?
    public var context: String?
    public var createdAt: Date
}

/// A working session (seed 003's `ai_sessions`).
public struct KnowledgeSession: Sendable, Equatable {
    public var id: String
    public var identifier: String
    public var projectContext: String?
    public var startedAt: Date
    public var endedAt: Date?
    public var qualityScore: Int?
    public var userFeedback: String?
}

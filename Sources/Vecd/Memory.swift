public import Foundation

/// Who sees a memory: one user of a tenant, every user of a tenant, or every tenant.
public enum MemoryScope: String, Sendable, CaseIterable, Codable {
    case user, tenant, global
}

/// A memory to add: a short rule or fact (seed 001's `ai_memories`, seed 002's `/memory/add`).
public struct MemoryInput: Sendable {
    public var content: String
    public var scope: MemoryScope
    /// Required for ``MemoryScope/user``, ignored otherwise.
    public var userID: String?
    public var tags: [String]
    public var source: String?
    public var metadata: Metadata
    /// The vector to store instead of embedding `content`.
    public var vector: [Float]?

    public init(
        content: String, scope: MemoryScope = .tenant, userID: String? = nil, tags: [String] = [],
        source: String? = nil, metadata: Metadata = [:], vector: [Float]? = nil
    ) {
        self.content = content
        self.scope = scope
        self.userID = userID
        self.tags = tags
        self.source = source
        self.metadata = metadata
        self.vector = vector
    }
}

/// A stored memory.
public struct Memory: Sendable, Equatable {
    public var id: String
    /// nil for a global memory.
    public var tenantID: String?
    public var userID: String?
    public var scope: MemoryScope
    public var content: String
    public var tags: [String]
    public var source: String?
    public var metadata: Metadata
    public var createdAt: Date
    public var updatedAt: Date
}

/// What adding a memory did.
public struct MemoryAddResult: Sendable, Equatable {
    /// The new memory, or the existing one it was merged into (with the new text).
    public var memory: Memory
    /// Whether the input near-duplicated a memory of the same scope and updated it instead of adding a second.
    public var merged: Bool
    /// The cosine similarity to the memory it merged into.
    public var similarity: Double?
}

/// A memory found by search, with its similarity (or `-bm25` for full-text).
public struct MemoryHit: Sendable, Equatable {
    public var memory: Memory
    public var score: Double
}

/// Which memories a caller sees: those of its tenant's scope, its own user scope, and the global ones.
public struct MemoryViewer: Sendable, Equatable {
    public var tenantID: String
    /// The user whose `user`-scope memories are visible; nil sees only tenant and global memories.
    public var userID: String?
    /// Restrict to these scopes; nil for every visible scope.
    public var scopes: [MemoryScope]?
    /// Keep only memories holding every one of these tags.
    public var tags: [String]

    public init(
        tenantID: String = VecdStore.defaultTenant, userID: String? = nil, scopes: [MemoryScope]? = nil,
        tags: [String] = []
    ) {
        self.tenantID = tenantID
        self.userID = userID
        self.scopes = scopes
        self.tags = tags
    }
}

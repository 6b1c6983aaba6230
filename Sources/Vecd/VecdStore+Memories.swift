import VecdEmbed
import Foundation
import VecdIndex
import VecdSQLite

extension VecdStore {
    static let memoryCollection = "_memories"
    static let memoryColumns =
        "m.id, m.tenant_id, m.user_id, m.scope, m.content, m.tags, m.source, m.metadata, m.created_at, m.updated_at"

    static func readMemory(_ row: Statement) -> Memory {
        Memory(
            id: row.string(0), tenantID: row.optionalString(1), userID: row.optionalString(2),
            scope: MemoryScope(rawValue: row.string(3)) ?? .tenant, content: row.string(4),
            tags: TagList.decode(row.string(5)), source: row.optionalString(6), metadata: .parse(row.string(7)),
            createdAt: date(milliseconds: row.int64(8)), updatedAt: date(milliseconds: row.int64(9)))
    }

    /// Adds a memory for `tenant`, or merges it into a near-duplicate of the same scope.
    ///
    /// A memory whose cosine similarity to the nearest memory of the same scope (same tenant, same user) is at
    /// least ``Configuration/memoryMergeThreshold`` updates that memory: the newer text wins, tags merge, and
    /// `updatedAt` moves. The ``Configuration/nearDuplicateGuard`` vetoes a merge across a difference in negation,
    /// numbers or names, so "lights off" never swallows "lights on". Global memories need `allowGlobal` (the
    /// server grants it to admins only).
    public func addMemory(
        _ input: MemoryInput, tenant: String = defaultTenant, allowGlobal: Bool = false
    ) async throws(VecdError) -> MemoryAddResult {
        try checkTenant(tenant)
        try checkText(input.content, limit: configuration.maxTextByteCount, what: "memory content")
        try checkMetadata(input.metadata)
        let owner = try Self.memoryOwner(
            scope: input.scope, userID: input.userID, tenant: tenant, allowGlobal: allowGlobal)
        let vector = try await self.vector(
            for: input.vector.map { .vector($0) } ?? .text(input.content), in: Self.memoryCollection)
        let modelID = input.vector == nil ? embedder?.modelID ?? "" : ""
        let stamp = milliseconds(now)
        let threshold = configuration.memoryMergeThreshold
        let guardrail = configuration.nearDuplicateGuard
        return try write { state, changes in
            let collection = try ownCollection(
                Self.memoryCollection, dimension: vector.count, modelID: modelID, state: state, changes: changes)
            try checkVector(vector, dimension: collection.info.dimension, what: "memory vector")
            let sameScope = try state.connection.query(
                """
                SELECT v.slot FROM memories m JOIN vectors v ON v.id = m.vector_id
                WHERE m.scope = ? AND m.tenant_id IS ? AND m.user_id IS ?
                """, [input.scope.rawValue, owner.tenant, owner.user]
            ) { Slot($0.int64(0)) }
            if !sameScope.isEmpty,
                let nearest = try collection.nearest(vector, k: 4, efSearch: 64, allowed: sameScope).neighbors.first
            {
                let similarity = collection.score(distance: nearest.distance)
                if similarity >= threshold,
                    let existing = try Self.memory(
                        atSlot: nearest.slot, collection: collection, connection: state.connection),
                    guardrail.allowsMatch(input.content, existing.content)
                {
                    let tags = existing.tags + input.tags.filter { !existing.tags.contains($0) }
                    let vectorID = try changes.insert(vector, into: collection, connection: state.connection)
                    try state.connection.run(
                        "UPDATE memories SET content = ?, tags = ?, source = coalesce(?, source), updated_at = ?, "
                            + "vector_id = ? WHERE id = ?",
                        [
                            input.content, TagList.encode(tags), input.source,
                            max(stamp, milliseconds(existing.updatedAt) + 1),
                            vectorID, existing.id,
                        ])
                    let memory = try Self.readMemory(id: existing.id, connection: state.connection)!
                    return MemoryAddResult(memory: memory, merged: true, similarity: similarity)
                }
            }
            let id = newID()
            let vectorID = try changes.insert(vector, into: collection, connection: state.connection)
            try state.connection.run(
                """
                INSERT INTO memories (id, tenant_id, user_id, scope, content, tags, source, metadata, vector_id,
                    created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    id, owner.tenant, owner.user, input.scope.rawValue, input.content, TagList.encode(input.tags),
                    input.source, input.metadata.jsonText, vectorID, stamp, stamp,
                ])
            return MemoryAddResult(
                memory: try Self.readMemory(id: id, connection: state.connection)!, merged: false, similarity: nil)
        }
    }

    /// The memories `viewer` sees, newest first.
    public func memories(_ viewer: MemoryViewer = MemoryViewer(), limit: Int = 100, offset: Int = 0) throws(VecdError)
        -> [Memory]
    {
        guard (1...10_000).contains(limit), offset >= 0 else {
            throw VecdError(.invalidArgument, "limit must be in 1...10000 and offset ≥ 0")
        }
        let condition = Self.memoryCondition(viewer)
        return try read { state in
            try state.connection.query(
                "SELECT \(Self.memoryColumns) FROM memories m WHERE \(condition.sql) "
                    + "ORDER BY m.updated_at DESC, m.seq DESC LIMIT ? OFFSET ?", condition.values + [limit, offset]
            ) { Self.readMemory($0) }
        }
    }

    /// Memory `id`, if `viewer` sees it.
    public func memory(id: String, viewer: MemoryViewer = MemoryViewer()) throws(VecdError) -> Memory {
        let condition = Self.memoryCondition(viewer)
        let memory = try read { state in
            try state.connection.queryFirst(
                "SELECT \(Self.memoryColumns) FROM memories m WHERE m.id = ? AND \(condition.sql)",
                [id] + condition.values
            ) { Self.readMemory($0) }
        }
        guard let memory else { throw VecdError(.notFound, "no memory \(id)") }
        return memory
    }

    /// The `k` memories `viewer` sees that are nearest to `query`, best first (seed 002's `/memory/search`).
    public func searchMemories(
        _ query: TextOrVector, viewer: MemoryViewer = MemoryViewer(), k: Int = 10, minScore: Double? = nil
    ) async throws(VecdError) -> [MemoryHit] {
        try checkK(k)
        let vector = try await self.vector(for: query, in: Self.memoryCollection)
        let condition = Self.memoryCondition(viewer)
        let lookup = try read { state -> (VectorCollection, [Slot])? in
            guard let collection = state.collections[Self.memoryCollection] else { return nil }
            try checkVector(vector, dimension: collection.info.dimension, what: "query vector")
            let slots = try state.connection.query(
                "SELECT v.slot FROM memories m JOIN vectors v ON v.id = m.vector_id WHERE \(condition.sql)",
                condition.values
            ) { Slot($0.int64(0)) }
            return (collection, slots)
        }
        guard let (collection, allowed) = lookup else { return [] }
        let found = try collection.nearest(vector, k: k, efSearch: configuration.efSearch, allowed: allowed)
        return try read { state in
            try found.neighbors.compactMap { neighbor -> MemoryHit? in
                guard
                    let memory = try Self.memory(
                        atSlot: neighbor.slot, collection: collection, connection: state.connection),
                    Self.isVisible(memory, to: viewer)
                else { return nil }
                let score = collection.score(distance: neighbor.distance)
                if let minScore, score < minScore { return nil }
                return MemoryHit(memory: memory, score: score)
            }
        }
    }

    /// Full-text search over the memories `viewer` sees (FTS5 bm25 over content and tags).
    ///
    /// As for chunks, words found in more than half of all memories are first left out (bm25 gives them no
    /// weight, yet ranking would score every memory they match); when that finds fewer than `k` memories the
    /// search runs again with every word.
    public func fullTextSearchMemories(
        _ text: String, viewer: MemoryViewer = MemoryViewer(), k: Int = 10
    ) throws(VecdError) -> [MemoryHit] {
        try checkK(k)
        try checkText(text, limit: configuration.maxTextByteCount, what: "query")
        let condition = Self.memoryCondition(viewer)
        return try read { state in
            guard
                let plan = try FullTextQuery.plan(
                    text, over: .memories, connection: state.connection,
                    dropsCommonWords: state.configuration.fullTextDropsCommonWords)
            else { return [] }
            return try plan.hits(k: k, id: \.memory.id, score: \.score) { match, ranked, limit in
                let select = """
                    SELECT \(Self.memoryColumns), bm25(memory_fts) AS rank
                    FROM memory_fts JOIN memories m ON m.seq = memory_fts.rowid
                    WHERE memory_fts MATCH ? AND \(condition.sql)
                    """
                let sql = select + (ranked ? " ORDER BY rank LIMIT ?" : " LIMIT ?")
                return try state.connection.query(sql, [match] + condition.values + [limit]) {
                    MemoryHit(memory: Self.readMemory($0), score: -$0.double(10))
                }
            }
        }
    }

    /// Changes a memory's content (re-embedded, or `vector` when given) and/or tags.
    @discardableResult
    public func updateMemory(
        id: String, tenant: String = defaultTenant, content: String? = nil, tags: [String]? = nil,
        vector: [Float]? = nil, allowGlobal: Bool = false
    ) async throws(VecdError) -> Memory {
        if let content { try checkText(content, limit: configuration.maxTextByteCount, what: "memory content") }
        let newVector: [Float]? =
            if let vector { vector } else if let content {
                try await self.vector(for: .text(content), in: Self.memoryCollection)
            } else { nil }
        let stamp = milliseconds(now)
        return try write { state, changes in
            let existing = try Self.writableMemory(
                id: id, tenant: tenant, allowGlobal: allowGlobal, connection: state.connection)
            var vectorID: Int64?
            if let newVector {
                let collection = try state.collection(Self.memoryCollection)
                try checkVector(newVector, dimension: collection.info.dimension, what: "memory vector")
                vectorID = try changes.insert(newVector, into: collection, connection: state.connection)
            }
            try state.connection.run(
                "UPDATE memories SET content = coalesce(?, content), tags = coalesce(?, tags), "
                    + "vector_id = coalesce(?, vector_id), updated_at = ? WHERE id = ?",
                [content, tags.map(TagList.encode), vectorID, max(stamp, milliseconds(existing.updatedAt) + 1), id])
            return try Self.readMemory(id: id, connection: state.connection)!
        }
    }

    /// Deletes a memory of `tenant` (a global one only with `allowGlobal`).
    public func deleteMemory(id: String, tenant: String = defaultTenant, allowGlobal: Bool = false) throws(VecdError) {
        try write { state, _ in
            _ = try Self.writableMemory(id: id, tenant: tenant, allowGlobal: allowGlobal, connection: state.connection)
            try state.connection.run("DELETE FROM memories WHERE id = ?", [id])
        }
    }

    // MARK: - Helpers

    static func memoryOwner(
        scope: MemoryScope, userID: String?, tenant: String, allowGlobal: Bool
    ) throws(VecdError) -> (tenant: String?, user: String?) {
        switch scope {
        case .user:
            guard let userID else { throw VecdError(.invalidArgument, "a user-scope memory needs a user id") }
            try checkIdentifier(userID, what: "user id")
            return (tenant, userID)
        case .tenant: return (tenant, nil)
        case .global:
            guard allowGlobal else {
                throw VecdError(
                    .forbidden, "global memories are visible to every tenant; writing one needs the admin role")
            }
            return (nil, nil)
        }
    }

    static func memoryCondition(_ viewer: MemoryViewer) -> (sql: String, values: [any SQLiteBindable]) {
        var sql =
            "((m.tenant_id = ? AND (m.scope = 'tenant' OR (m.scope = 'user' AND m.user_id = ?))) OR m.scope = 'global')"
        var values: [any SQLiteBindable] = [viewer.tenantID, viewer.userID]
        if let scopes = viewer.scopes {
            sql += " AND m.scope IN (SELECT value FROM json_each(?))"
            values.append(JSONValue.array(scopes.map { .string($0.rawValue) }).jsonText)
        }
        for tag in viewer.tags {
            sql += " AND EXISTS (SELECT 1 FROM json_each(m.tags) WHERE value = ?)"
            values.append(tag)
        }
        return (sql, values)
    }

    static func isVisible(_ memory: Memory, to viewer: MemoryViewer) -> Bool {
        switch memory.scope {
        case .global: return viewer.scopes?.contains(.global) ?? true
        case .tenant: return memory.tenantID == viewer.tenantID && (viewer.scopes?.contains(.tenant) ?? true)
        case .user:
            return memory.tenantID == viewer.tenantID && memory.userID == viewer.userID
                && (viewer.scopes?.contains(.user) ?? true)
        }
    }

    static func readMemory(id: String, connection: Connection) throws -> Memory? {
        try connection.queryFirst("SELECT \(memoryColumns) FROM memories m WHERE m.id = ?", [id]) { readMemory($0) }
    }

    static func memory(atSlot slot: Slot, collection: VectorCollection, connection: Connection) throws -> Memory? {
        try connection.queryFirst(
            "SELECT \(memoryColumns) FROM memories m JOIN vectors v ON v.id = m.vector_id "
                + "WHERE v.collection_id = ? AND v.slot = ?", [collection.id, Int64(slot)]
        ) { readMemory($0) }
    }

    /// The memory `id` if `tenant` may change it; `notFound` otherwise (another tenant's memory is not revealed).
    static func writableMemory(id: String, tenant: String, allowGlobal: Bool, connection: Connection) throws -> Memory {
        guard let memory = try readMemory(id: id, connection: connection),
            memory.tenantID == tenant || (memory.scope == .global && allowGlobal)
        else { throw VecdError(.notFound, "no memory \(id)") }
        return memory
    }
}

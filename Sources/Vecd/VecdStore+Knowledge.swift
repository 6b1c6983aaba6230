import VecdEmbed
import Foundation
import VecdIndex
import VecdSQLite

extension VecdStore {
    static let knowledgeCollection = "_knowledge"
    static let knowledgeColumns = """
        k.id, k.tenant_id, k.knowledge_type, k.category, k.subcategory, k.title, k.content, k.context_data,
        k.importance_score, k.validation_status, k.access_count, k.last_accessed_at, k.created_by, k.created_at,
        k.updated_at, (SELECT json_group_array(keyword) FROM knowledge_triggers t WHERE t.knowledge_id = k.id)
        """

    static func readKnowledge(_ row: Statement) -> KnowledgeItem {
        KnowledgeItem(
            id: row.string(0), tenantID: row.string(1), type: KnowledgeType(rawValue: row.string(2)) ?? .factual,
            category: row.string(3), subcategory: row.optionalString(4), title: row.string(5), content: row.string(6),
            contextData: .parse(row.string(7)), importance: row.int(8),
            retrievalTriggers: TagList.decode(row.string(15)).sorted(),
            validationStatus: ValidationStatus(rawValue: row.string(9)) ?? .pending, accessCount: row.int(10),
            lastAccessedAt: row.optionalInt(11).map { date(milliseconds: Int64($0)) },
            createdBy: row.optionalString(12),
            createdAt: date(milliseconds: row.int64(13)), updatedAt: date(milliseconds: row.int64(14)))
    }

    /// Adds a knowledge item; its vector embeds the title and content (or is given).
    @discardableResult
    public func addKnowledgeItem(_ input: KnowledgeItemInput, tenant: String = defaultTenant) async throws(VecdError)
        -> KnowledgeItem
    {
        try checkTenant(tenant)
        try checkText(input.title, limit: 500, what: "knowledge title")
        try checkText(input.content, limit: configuration.maxTextByteCount, what: "knowledge content")
        try checkIdentifier(input.category, what: "category")
        guard (1...100).contains(input.importance) else {
            throw VecdError(.invalidArgument, "importance must be in 1...100, got \(input.importance)")
        }
        try checkMetadata(input.contextData)
        let triggers = Set(input.retrievalTriggers.map { $0.lowercased().trimmingCharacters(in: .whitespaces) })
        guard !triggers.contains("") else { throw VecdError(.invalidArgument, "retrieval triggers must not be empty") }
        let vector = try await self.vector(
            for: input.vector.map { .vector($0) } ?? .text(input.title + "\n" + input.content),
            in: Self.knowledgeCollection)
        let modelID = input.vector == nil ? embedder?.modelID ?? "" : ""
        let id = newID()
        let stamp = milliseconds(now)
        return try write { state, changes in
            let collection = try ownCollection(
                Self.knowledgeCollection, dimension: vector.count, modelID: modelID, state: state, changes: changes)
            try checkVector(vector, dimension: collection.info.dimension, what: "knowledge vector")
            let vectorID = try changes.insert(vector, into: collection, connection: state.connection)
            try state.connection.run(
                """
                INSERT INTO knowledge_items (id, tenant_id, knowledge_type, category, subcategory, title, content,
                    context_data, importance_score, validation_status, created_by, vector_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    id, tenant, input.type.rawValue, input.category, input.subcategory, input.title, input.content,
                    input.contextData.jsonText, input.importance, input.validationStatus.rawValue, input.createdBy,
                    vectorID,
                    stamp, stamp,
                ])
            for keyword in triggers.sorted() {
                try state.connection.run(
                    "INSERT INTO knowledge_triggers (knowledge_id, keyword) VALUES (?, ?)", [id, keyword])
            }
            return try Self.readKnowledge(id: id, tenant: tenant, connection: state.connection)!
        }
    }

    /// Knowledge item `id` of `tenant`.
    public func knowledgeItem(id: String, tenant: String = defaultTenant) throws(VecdError) -> KnowledgeItem {
        let item = try read { state in try Self.readKnowledge(id: id, tenant: tenant, connection: state.connection) }
        guard let item else { throw VecdError(.notFound, "no knowledge item \(id)") }
        return item
    }

    /// Seed 003's `find_similar_knowledge`: items of `tenant` (of one type when given) whose similarity to `query` is
    /// at least `threshold`, most similar first, at most `limit`.
    public func findSimilarKnowledge(
        _ query: TextOrVector, type: KnowledgeType? = nil, limit: Int = 10, threshold: Double = 0.7,
        tenant: String = defaultTenant
    ) async throws(VecdError) -> [KnowledgeMatch] {
        try checkK(limit)
        guard threshold.isFinite, (-1...1).contains(threshold) else {
            throw VecdError(.invalidArgument, "threshold must be in -1...1, got \(threshold)")
        }
        let vector = try await self.vector(for: query, in: Self.knowledgeCollection)
        let lookup = try read { state -> (VectorCollection, [Slot])? in
            guard let collection = state.collections[Self.knowledgeCollection] else { return nil }
            try checkVector(vector, dimension: collection.info.dimension, what: "query vector")
            let slots = try state.connection.query(
                "SELECT v.slot FROM knowledge_items k JOIN vectors v ON v.id = k.vector_id "
                    + "WHERE k.tenant_id = ? AND (? IS NULL OR k.knowledge_type = ?)",
                [tenant, type?.rawValue, type?.rawValue]
            ) { Slot($0.int64(0)) }
            return (collection, slots)
        }
        guard let (collection, allowed) = lookup else { return [] }
        let found = try collection.nearest(vector, k: limit, efSearch: configuration.efSearch, allowed: allowed)
        return try read { state in
            try found.neighbors.compactMap { neighbor -> KnowledgeMatch? in
                let similarity = collection.score(distance: neighbor.distance)
                guard similarity >= threshold else { return nil }
                guard
                    let item = try state.connection.queryFirst(
                        "SELECT \(Self.knowledgeColumns) FROM knowledge_items k JOIN vectors v ON v.id = k.vector_id "
                            + "WHERE v.collection_id = ? AND v.slot = ? AND k.tenant_id = ?",
                        [collection.id, Int64(neighbor.slot), tenant], row: Self.readKnowledge)
                else { return nil }
                return KnowledgeMatch(item: item, similarity: similarity)
            }
        }
    }

    /// Seed 003's `get_contextual_knowledge`: items whose retrieval triggers appear as words of `situation`, or whose
    /// `contextData.project` equals `projectContext`, by importance then most recent access.
    public func contextualKnowledge(
        situation: String, projectContext: String? = nil, limit: Int = 20, tenant: String = defaultTenant
    ) throws(VecdError) -> [KnowledgeItem] {
        try checkK(limit)
        let words = Set(
            situation.lowercased().split(whereSeparator: \.isWhitespace).map {
                $0.trimmingCharacters(in: .punctuationCharacters)
            })
        let list = JSONValue.array(words.map { .string($0) }).jsonText
        return try read { state in
            try state.connection.query(
                """
                SELECT \(Self.knowledgeColumns) FROM knowledge_items k
                WHERE k.tenant_id = ? AND (
                    EXISTS (SELECT 1 FROM knowledge_triggers t WHERE t.knowledge_id = k.id
                            AND t.keyword IN (SELECT value FROM json_each(?)))
                    OR (? IS NOT NULL AND json_extract(k.context_data, '$.project') = ?))
                ORDER BY k.importance_score DESC, k.last_accessed_at DESC NULLS LAST, k.id LIMIT ?
                """, [tenant, list, projectContext, projectContext, limit], row: Self.readKnowledge)
        }
    }

    /// Counts an access (`access_count`, `last_accessed`), and links it to a session when given.
    public func recordKnowledgeAccess(
        id: String, sessionID: String? = nil, interaction: KnowledgeInteraction = .accessed,
        effectivenessRating: Int? = nil, notes: String? = nil, tenant: String = defaultTenant
    ) throws(VecdError) {
        if let rating = effectivenessRating, !(1...10).contains(rating) {
            throw VecdError(.invalidArgument, "effectiveness rating must be in 1...10, got \(rating)")
        }
        let stamp = milliseconds(now)
        try write { state, _ in
            guard try Self.readKnowledge(id: id, tenant: tenant, connection: state.connection) != nil else {
                throw VecdError(.notFound, "no knowledge item \(id)")
            }
            try state.connection.run(
                "UPDATE knowledge_items SET access_count = access_count + 1, last_accessed_at = ? WHERE id = ?",
                [stamp, id])
            if let sessionID {
                guard
                    try state.connection.scalarInt(
                        "SELECT count(*) FROM sessions WHERE id = ? AND tenant_id = ?", [sessionID, tenant]) == 1
                else { throw VecdError(.notFound, "no session \(sessionID)") }
                try state.connection.run(
                    "INSERT INTO session_knowledge_links (session_id, knowledge_id, interaction_type, effectiveness_rating, "
                        + "notes, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [sessionID, id, interaction.rawValue, effectivenessRating, notes, stamp])
            }
        }
    }

    /// Sets an item's validation status.
    public func setKnowledgeValidation(id: String, _ status: ValidationStatus, tenant: String = defaultTenant)
        throws(VecdError)
    {
        let stamp = milliseconds(now)
        try write { state, _ in
            try state.connection.run(
                "UPDATE knowledge_items SET validation_status = ?, updated_at = ? WHERE id = ? AND tenant_id = ?",
                [status.rawValue, stamp, id, tenant])
            guard state.connection.changeCount == 1 else { throw VecdError(.notFound, "no knowledge item \(id)") }
        }
    }

    /// Deletes an item with its triggers, relationships, session links and vector.
    public func deleteKnowledgeItem(id: String, tenant: String = defaultTenant) throws(VecdError) {
        try write { state, _ in
            try state.connection.run("DELETE FROM knowledge_items WHERE id = ? AND tenant_id = ?", [id, tenant])
            guard state.connection.changeCount == 1 else { throw VecdError(.notFound, "no knowledge item \(id)") }
        }
    }

    static func readKnowledge(id: String, tenant: String, connection: Connection) throws -> KnowledgeItem? {
        try connection.queryFirst(
            "SELECT \(knowledgeColumns) FROM knowledge_items k WHERE k.id = ? AND k.tenant_id = ?", [id, tenant],
            row: readKnowledge)
    }
}

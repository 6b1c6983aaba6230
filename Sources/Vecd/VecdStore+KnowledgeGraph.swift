import Foundation
import VecdSQLite

extension VecdStore {
    /// Adds a typed, weighted edge between two items of `tenant` (one per source, target and type).
    @discardableResult
    public func relateKnowledge(
        from sourceID: String, to targetID: String, type: RelationshipType, strength: Double,
        sessionID: String? = nil, context: String? = nil, tenant: String = defaultTenant
    ) throws(VecdError) -> KnowledgeRelationship {
        guard strength.isFinite, (0...1).contains(strength) else {
            throw VecdError(.invalidArgument, "strength must be in 0...1, got \(strength)")
        }
        guard sourceID != targetID else { throw VecdError(.invalidArgument, "an item cannot relate to itself") }
        let id = newID()
        let stamp = milliseconds(now)
        return try write { state, _ in
            for item in [sourceID, targetID]
            where try Self.readKnowledge(id: item, tenant: tenant, connection: state.connection) == nil {
                throw VecdError(.notFound, "no knowledge item \(item)")
            }
            if let sessionID,
                try state.connection.scalarInt(
                    "SELECT count(*) FROM sessions WHERE id = ? AND tenant_id = ?", [sessionID, tenant]) != 1
            {
                throw VecdError(.notFound, "no session \(sessionID)")
            }
            try state.connection.run(
                """
                INSERT INTO knowledge_relationships (id, source_id, target_id, relationship_type, strength, session_id,
                    context, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [id, sourceID, targetID, type.rawValue, strength, sessionID, context, stamp])
            return KnowledgeRelationship(
                id: id, sourceID: sourceID, targetID: targetID, type: type, strength: strength, sessionID: sessionID,
                context: context, createdAt: date(milliseconds: stamp))
        }
    }

    /// The edges that start or end at item `id`, strongest first.
    public func knowledgeRelationships(of id: String, tenant: String = defaultTenant) throws(VecdError)
        -> [KnowledgeRelationship]
    {
        try read { state in
            try state.connection.query(
                """
                SELECT r.id, r.source_id, r.target_id, r.relationship_type, r.strength, r.session_id, r.context, r.created_at
                FROM knowledge_relationships r JOIN knowledge_items k ON k.id = r.source_id
                WHERE (r.source_id = ? OR r.target_id = ?) AND k.tenant_id = ? ORDER BY r.strength DESC, r.id
                """, [id, id, tenant]
            ) { row in
                KnowledgeRelationship(
                    id: row.string(0), sourceID: row.string(1), targetID: row.string(2),
                    type: RelationshipType(rawValue: row.string(3)) ?? .similarTo, strength: row.double(4),
                    sessionID: row.optionalString(5), context: row.optionalString(6),
                    createdAt: date(milliseconds: row.int64(7)))
            }
        }
    }

    /// Starts a session (`identifier` is unique per tenant).
    @discardableResult
    public func startSession(
        identifier: String, projectContext: String? = nil, metadata: Metadata = [:], tenant: String = defaultTenant
    ) throws(VecdError) -> KnowledgeSession {
        try checkIdentifier(identifier, what: "session identifier")
        try checkMetadata(metadata)
        let id = newID()
        let stamp = milliseconds(now)
        try write { state, _ in
            try state.connection.run(
                "INSERT INTO sessions (id, tenant_id, session_identifier, project_context, started_at, metadata) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", [id, tenant, identifier, projectContext, stamp, metadata.jsonText])
        }
        return KnowledgeSession(
            id: id, identifier: identifier, projectContext: projectContext, startedAt: date(milliseconds: stamp))
    }

    /// Ends a session with an optional quality score (1…100) and feedback.
    public func endSession(
        id: String, qualityScore: Int? = nil, userFeedback: String? = nil, tenant: String = defaultTenant
    ) throws(VecdError) {
        if let score = qualityScore, !(1...100).contains(score) {
            throw VecdError(.invalidArgument, "quality score must be in 1...100, got \(score)")
        }
        let stamp = milliseconds(now)
        try write { state, _ in
            try state.connection.run(
                "UPDATE sessions SET ended_at = ?, quality_score = ?, user_feedback = ? WHERE id = ? AND tenant_id = ?",
                [stamp, qualityScore, userFeedback, id, tenant])
            guard state.connection.changeCount == 1 else { throw VecdError(.notFound, "no session \(id)") }
        }
    }

    /// Items linked to session `id`, with how each was touched, most recent first.
    public func sessionKnowledge(
        id: String, tenant: String = defaultTenant
    ) throws(VecdError) -> [(item: KnowledgeItem, interaction: KnowledgeInteraction)] {
        let rows = try read { state in
            try state.connection.query(
                """
                SELECT \(Self.knowledgeColumns), l.interaction_type FROM session_knowledge_links l
                JOIN knowledge_items k ON k.id = l.knowledge_id JOIN sessions s ON s.id = l.session_id
                WHERE l.session_id = ? AND s.tenant_id = ? ORDER BY l.created_at DESC, l.id DESC
                """, [id, tenant]
            ) { row in (Self.readKnowledge(row), KnowledgeInteraction(rawValue: row.string(16)) ?? .accessed) }
        }
        return rows.map { (item: $0.0, interaction: $0.1) }
    }
}

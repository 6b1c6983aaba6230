extension ExportTable {
    /// Every exported table, in load order (documents before their chunks). Target names follow the seeds:
    /// seed 004's `documents`/`document_chunks`/`user_memories`, seed 001's `ai_memories`/`ai_feedback`, seed 002's
    /// `preferences`/`training_data`/`response_cache`. Ids stay text because vecd ids may be caller-chosen strings;
    /// a document's id is unique within its tenant, so documents are keyed by (tenant_id, id) and each chunk names
    /// its document's tenant.
    public static let all: [ExportTable] = [
        documents, chunks, memories, userMemories, preferences, feedback, trainingData, responseCache,
    ]

    /// The table called `name` in the store (as the change log records it).
    public static func named(_ name: String) -> ExportTable? { all.first { $0.name == name } }

    static let documents = ExportTable(
        name: "documents", targetName: "documents",
        columns: [
            .init("tenant_id", .text), .init("id", .text), .init("collection", .text),
            .init("user_id", .text, nullable: true), .init("scope", .text), .init("is_global", .boolean),
            .init("title", .text), .init("content", .text), .init("document_type", .text), .init("metadata", .json),
            .init("created_at", .timestamp), .init("updated_at", .timestamp),
        ],
        keyColumnCount: 2,
        selectSQL: """
            SELECT d.tenant_id, d.id, c.name, d.user_id, d.scope, d.is_global, d.title, d.content, d.document_type,
                   d.metadata, d.created_at, d.updated_at
            FROM documents d JOIN collections c ON c.id = d.collection_id WHERE {where}
            """,
        keySQL: "json_array(d.tenant_id, d.id)", vectorCollectionsSQL: nil)

    static let chunks = ExportTable(
        name: "chunks", targetName: "document_chunks",
        columns: [
            .init("id", .integer), .init("tenant_id", .text), .init("document_id", .text), .init("chunk_index", .integer),
            .init("content", .text), .init("start_offset", .integer), .init("end_offset", .integer),
            .init("metadata", .json), .init("embedding", .vector, nullable: true),
        ],
        keyColumnCount: 1,
        selectSQL: """
            SELECT k.id, k.tenant_id, k.document_id, k.chunk_index, k.content, k.start_offset, k.end_offset, k.metadata,
                   (SELECT vector FROM vectors WHERE id = k.vector_id)
            FROM chunks k WHERE {where}
            """,
        keySQL: "json_array(k.id)", vectorCollectionsSQL: "substr(c.name, 1, 1) <> '_'")

    static let memories = ExportTable(
        name: "memories", targetName: "ai_memories",
        columns: [
            .init("id", .text), .init("tenant_id", .text, nullable: true), .init("user_id", .text, nullable: true),
            .init("scope", .text), .init("content", .text), .init("tags", .json),
            .init("source", .text, nullable: true), .init("metadata", .json),
            .init("embedding", .vector, nullable: true), .init("created_at", .timestamp),
            .init("updated_at", .timestamp),
        ],
        keyColumnCount: 1,
        selectSQL: """
            SELECT m.id, m.tenant_id, m.user_id, m.scope, m.content, m.tags, m.source, m.metadata,
                   (SELECT vector FROM vectors WHERE id = m.vector_id), m.created_at, m.updated_at
            FROM memories m WHERE {where}
            """,
        keySQL: "json_array(m.id)", vectorCollectionsSQL: "c.name = '_memories'")

    static let userMemories = ExportTable(
        name: "user_memories", targetName: "user_memories",
        columns: [
            .init("tenant_id", .text), .init("user_id", .text), .init("memory", .text), .init("metadata", .json),
            .init("updated_at", .timestamp),
        ],
        keyColumnCount: 2,
        selectSQL: "SELECT u.tenant_id, u.user_id, u.memory, u.metadata, u.updated_at FROM user_memories u WHERE {where}",
        keySQL: "json_array(u.tenant_id, u.user_id)", vectorCollectionsSQL: nil)

    static let preferences = ExportTable(
        name: "preferences", targetName: "preferences",
        columns: [
            .init("tenant_id", .text), .init("user_id", .text), .init("key", .text), .init("value", .json),
            .init("category", .text, nullable: true), .init("created_at", .timestamp), .init("updated_at", .timestamp),
        ],
        keyColumnCount: 3,
        selectSQL: """
            SELECT p.tenant_id, p.user_id, p.key, p.value, p.category, p.created_at, p.updated_at
            FROM preferences p WHERE {where}
            """,
        keySQL: "json_array(p.tenant_id, p.user_id, p.key)", vectorCollectionsSQL: nil)

    static let feedback = ExportTable(
        name: "feedback", targetName: "ai_feedback",
        columns: [
            .init("id", .text), .init("tenant_id", .text), .init("message_id", .text, nullable: true),
            .init("interaction_id", .text, nullable: true), .init("rating", .text, nullable: true),
            .init("score", .integer, nullable: true), .init("edited_text", .text, nullable: true),
            .init("comment", .text, nullable: true), .init("question_text", .text, nullable: true),
            .init("answer_text", .text, nullable: true), .init("metadata", .json), .init("created_at", .timestamp),
        ],
        keyColumnCount: 1,
        selectSQL: """
            SELECT f.id, f.tenant_id, f.message_id, f.interaction_id, f.rating, f.score, f.edited_text, f.comment,
                   f.question_text, f.answer_text, f.metadata, f.created_at
            FROM feedback f WHERE {where}
            """,
        keySQL: "json_array(f.id)", vectorCollectionsSQL: nil)

    static let trainingData = ExportTable(
        name: "training_data", targetName: "training_data",
        columns: [
            .init("id", .text), .init("tenant_id", .text), .init("input_text", .text), .init("output_text", .text),
            .init("feedback_score", .integer, nullable: true), .init("interaction_type", .text, nullable: true),
            .init("language", .text, nullable: true), .init("exported", .boolean),
            .init("exported_at", .timestamp, nullable: true), .init("metadata", .json),
            .init("created_at", .timestamp),
        ],
        keyColumnCount: 1,
        selectSQL: """
            SELECT t.id, t.tenant_id, t.input_text, t.output_text, t.feedback_score, t.interaction_type, t.language,
                   t.exported, t.exported_at, t.metadata, t.created_at
            FROM training_data t WHERE {where}
            """,
        keySQL: "json_array(t.id)", vectorCollectionsSQL: nil)

    static let responseCache = ExportTable(
        name: "response_cache", targetName: "response_cache",
        columns: [
            .init("id", .integer), .init("tenant_id", .text), .init("model_id", .text), .init("query_hash", .text),
            .init("query_text", .text), .init("response", .text), .init("metadata", .json),
            .init("hit_count", .integer), .init("byte_count", .integer), .init("created_at", .timestamp),
            .init("expires_at", .timestamp, nullable: true), .init("last_accessed_at", .timestamp),
            .init("embedding", .vector, nullable: true),
        ],
        keyColumnCount: 1,
        selectSQL: """
            SELECT r.id, r.tenant_id, r.model_id, r.query_hash, r.query_text, r.response, r.metadata, r.hit_count,
                   r.byte_count, r.created_at, r.expires_at, r.last_accessed_at,
                   (SELECT vector FROM vectors WHERE id = r.vector_id)
            FROM response_cache r WHERE {where}
            """,
        keySQL: "json_array(r.id)", vectorCollectionsSQL: "substr(c.name, 1, 7) = '_cache:'")
}

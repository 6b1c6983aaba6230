import Foundation
import Vecd

/// How one PostgreSQL table becomes rows of one of vecd's tables: a SELECT producing ``ExportTable`` columns in
/// order. A source column of the same name is used (cast to the column's kind); a missing or NULL one gets a
/// default, and a few columns have seed-specific rules (memory scopes, chunk offsets, seed 001's one-chunk
/// documents). vecd's own exports map one to one, so export then import is exact.
struct PostgresImportMapping {
    let source: PostgresImportSource
    let target: ExportTable
    /// Column name → SQL replacing the generic rule.
    var overrides: [String: String] = [:]

    static let nowMilliseconds = "round(extract(epoch FROM now()) * 1000)::bigint"

    /// The SELECT, ordered by the source's key for a deterministic load order.
    func selectSQL(orderBy: String?) -> String {
        // The final cast fixes each result column's type, so that the binary results decode one way per kind.
        let expressions = target.columns.map { column in
            let value =
                column.kind == .vector
                ? expression(for: column) : "(\(expression(for: column)))::\(Self.resultType(column.kind))"
            return value + " AS \"\(column.name)\""
        }.joined(separator: ", ")
        return "SELECT \(expressions) FROM \(source.qualified)" + (orderBy.map { " ORDER BY \($0)" } ?? "")
    }

    static func resultType(_ kind: ExportColumnKind) -> String {
        switch kind {
        case .text, .json: return "text"
        case .integer, .timestamp: return "bigint"
        case .real: return "double precision"
        case .boolean: return "boolean"
        case .vector: return "vector"
        }
    }

    func expression(for column: ExportColumn) -> String {
        if let override = overrides[column.name] { return override }
        if column.name == "id", column.kind == .integer {
            // The store numbers rows itself when the source's ids are not integers (UUID chunk ids of seed 004).
            return source.isInteger("id") ? "\"id\"::bigint" : "NULL::bigint"
        }
        let present = source.column(column.name).map { PostgresImportSource.cast($0, to: column.kind) }
        if column.isNullable { return present ?? "NULL" }
        let fallback = Self.defaultSQL(column, source: source)
        return present.map { "coalesce(\($0), \(fallback))" } ?? fallback
    }

    /// The value of a NOT NULL column the source lacks (or holds NULL in).
    static func defaultSQL(_ column: ExportColumn, source: PostgresImportSource) -> String {
        switch column.name {
        case "id": return "gen_random_uuid()::text"
        case "tenant_id": return "'default'"
        case "scope": return "'global'"
        case "document_type": return "'text'"
        case "metadata", "context_data": return "'{}'"
        case "tags": return "'[]'"
        case "updated_at", "last_accessed_at":
            return source.column("created_at").map { PostgresImportSource.cast($0, to: .timestamp) }
                .map { "coalesce(\($0), \(nowMilliseconds))" } ?? nowMilliseconds
        case "byte_count": return source.has("response") ? "octet_length(\"response\")" : "0"
        default: break
        }
        switch column.kind {
        case .text: return "''"
        case .integer, .real: return "0"
        case .boolean: return "false"
        case .json: return "'null'"
        case .timestamp: return nowMilliseconds
        case .vector: return "NULL"
        }
    }

    // MARK: - Seed-specific rules

    /// Seed 001's `ai_memories` and vecd's: the scope decides which of tenant and user may be set (vecd's CHECKs).
    static func memories(_ source: PostgresImportSource) -> PostgresImportMapping {
        let scope = source.column("scope").map { "\($0)::text" } ?? "NULL::text"
        let user = source.column("user_id").map { "\($0)::text" } ?? "NULL::text"
        let tenant = source.column("tenant_id").map { "\($0)::text" } ?? "NULL::text"
        let resolved =
            "(CASE WHEN \(scope) IN ('user', 'tenant', 'global') THEN \(scope) "
            + "WHEN \(user) IS NOT NULL THEN 'user' ELSE 'tenant' END)"
        return PostgresImportMapping(
            source: source, target: ExportTable.named("memories")!,
            overrides: [
                "scope": resolved,
                "tenant_id": "(CASE WHEN \(resolved) = 'global' THEN NULL ELSE coalesce(\(tenant), 'default') END)",
                "user_id": "(CASE WHEN \(resolved) = 'user' THEN \(user) END)",
            ])
    }

    /// Seed 004's `document_chunks` (offsets in metadata `start_char`/`end_char`) and vecd's (offset columns).
    /// A chunk source without `tenant_id` takes its document's tenant from `documents` (the source the documents are
    /// imported from), as a document id names a document only within its tenant.
    static func chunks(_ source: PostgresImportSource, documents: PostgresImportSource?) -> PostgresImportMapping {
        var overrides: [String: String] = [:]
        if !source.has("tenant_id"), let documents, documents.has("tenant_id"), documents.has("id") {
            overrides["tenant_id"] =
                "coalesce((SELECT d.\"tenant_id\"::text FROM \(documents.qualified) d "
                + "WHERE d.\"id\"::text = \(source.qualified).\"document_id\"::text LIMIT 1), 'default')"
        }
        let content = source.column("content").map { "coalesce(\($0)::text, '')" } ?? "''"
        if !source.has("start_offset") {
            let fromMetadata = source.column("metadata").map { "(\($0)::jsonb ->> 'start_char')::bigint" }
            overrides["start_offset"] = "coalesce(\(fromMetadata ?? "NULL"), 0)"
        }
        if !source.has("end_offset") {
            let fromMetadata = source.column("metadata").map { "(\($0)::jsonb ->> 'end_char')::bigint" }
            overrides["end_offset"] = "coalesce(\(fromMetadata ?? "NULL"), char_length(\(content)))"
        }
        if !source.has("chunk_index") {
            let order = source.column("id") ?? "ctid"
            overrides["chunk_index"] = "(row_number() OVER (PARTITION BY \"document_id\" ORDER BY \(order)) - 1)"
        }
        return PostgresImportMapping(source: source, target: ExportTable.named("chunks")!, overrides: overrides)
    }

    /// Seed 001's `ai_kb_documents` as documents of `collection`: the rows themselves…
    static func knowledgeBaseDocuments(_ source: PostgresImportSource, collection: String) -> PostgresImportMapping {
        PostgresImportMapping(
            source: source, target: ExportTable.named("documents")!,
            overrides: ["collection": "'\(collection.replacingOccurrences(of: "'", with: "''"))'"])
    }

    /// …and one whole-document chunk per row carrying its embedding.
    static func knowledgeBaseChunks(_ source: PostgresImportSource, embeddingColumn: String) -> PostgresImportMapping {
        let content = source.column("content").map { "coalesce(\($0)::text, '')" } ?? "''"
        return PostgresImportMapping(
            source: source, target: ExportTable.named("chunks")!,
            overrides: [
                "id": "NULL::bigint", "document_id": "\"id\"::text", "chunk_index": "0", "content": content,
                "start_offset": "0", "end_offset": "char_length(\(content))", "metadata": "'{}'",
                "embedding": "\"\(embeddingColumn)\"",
            ])
    }
}

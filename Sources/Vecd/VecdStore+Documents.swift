import Foundation
import VecdIndex
import VecdSQLite

extension VecdStore {
    static let documentColumns = """
        d.id, c.name, d.tenant_id, d.user_id, d.scope, d.is_global, d.title, d.content, d.document_type,
        d.metadata, d.job_id, d.created_at, d.updated_at
        """

    static func readDocument(_ row: Statement, from column: Int = 0) -> Document {
        Document(
            id: row.string(column), collection: row.string(column + 1), tenantID: row.string(column + 2),
            userID: row.optionalString(column + 3), scope: row.string(column + 4), isGlobal: row.int(column + 5) != 0,
            title: row.string(column + 6), content: row.string(column + 7),
            documentType: DocumentType(rawValue: row.string(column + 8)) ?? .text,
            metadata: .parse(row.string(column + 9)), jobID: row.optionalString(column + 10),
            createdAt: date(milliseconds: row.int64(column + 11)), updatedAt: date(milliseconds: row.int64(column + 12))
        )
    }

    /// The document `id` of `tenant`; `notFound` for another tenant's document.
    public func document(id: String, tenant: String = defaultTenant) throws(VecdError) -> Document {
        let document = try read { state in
            try state.connection.queryFirst(
                "SELECT \(Self.documentColumns) FROM documents d JOIN collections c ON c.id = d.collection_id "
                    + "WHERE d.id = ? AND d.tenant_id = ?", [id, tenant]
            ) { Self.readDocument($0) }
        }
        guard let document else { throw VecdError(.notFound, "no document \(id)") }
        return document
    }

    /// The documents of `tenant` in `collection`, newest first.
    public func documents(
        in collection: String, tenant: String = defaultTenant, limit: Int = 100, offset: Int = 0
    ) throws(VecdError) -> [Document] {
        guard (1...10_000).contains(limit), offset >= 0 else {
            throw VecdError(.invalidArgument, "limit must be in 1...10000 and offset ≥ 0")
        }
        return try read { state in
            let target = try state.collection(collection)
            return try state.connection.query(
                "SELECT \(Self.documentColumns) FROM documents d JOIN collections c ON c.id = d.collection_id "
                    + "WHERE d.collection_id = ? AND d.tenant_id = ? ORDER BY d.created_at DESC, d.id LIMIT ? OFFSET ?",
                [target.id, tenant, limit, offset]
            ) { Self.readDocument($0) }
        }
    }

    /// The chunks of document `id`, in order.
    public func chunks(ofDocument id: String, tenant: String = defaultTenant) throws(VecdError) -> [Chunk] {
        try read { state in
            try state.connection.query(
                "SELECT \(Self.chunkColumns) FROM chunks k WHERE k.tenant_id = ? AND k.document_id = ? "
                    + "ORDER BY k.chunk_index", [tenant, id]
            ) { Self.readChunk($0) }
        }
    }

    /// Deletes document `id` of `tenant` with its chunks and their vectors.
    public func deleteDocument(id: String, tenant: String = defaultTenant) throws(VecdError) {
        // The chunks' vectors go by trigger; their logged deletions reach the index after the commit.
        try write { state, _ in
            try state.connection.run("DELETE FROM documents WHERE id = ? AND tenant_id = ?", [id, tenant])
            guard state.connection.changeCount == 1 else { throw VecdError(.notFound, "no document \(id)") }
        }
    }

    static let chunkColumns = "k.id, k.document_id, k.chunk_index, k.content, k.start_offset, k.end_offset, k.metadata"

    static func readChunk(_ row: Statement, from column: Int = 0) -> Chunk {
        Chunk(
            id: row.int64(column), documentID: row.string(column + 1), index: row.int(column + 2),
            content: row.string(column + 3), startOffset: row.int(column + 4), endOffset: row.int(column + 5),
            metadata: .parse(row.string(column + 6)))
    }
}

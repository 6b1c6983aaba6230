public import Foundation
public import VecdIndex
import VecdSQLite

/// The document a hit came from, without its full content.
public struct DocumentSummary: Sendable, Equatable {
    public var id: String
    public var title: String
    public var scope: String
    public var isGlobal: Bool
    public var userID: String?
    public var documentType: DocumentType
    public var metadata: Metadata
    public var createdAt: Date
}

/// One search result: the chunk, its document, and its scores (higher is better).
public struct ChunkHit: Sendable, Equatable {
    public var chunk: Chunk
    public var document: DocumentSummary
    /// The ranking score: the vector similarity, `-bm25` for full-text, or the fused score for hybrid.
    public var score: Double
    /// Cosine similarity (`1 - distance`; the inner product for dot, `-distance` for L2), when vector search saw it.
    public var vectorScore: Double?
    /// `-bm25` (larger is more relevant), when full-text search saw it.
    public var textScore: Double?
}

/// Hits with the index's report of how they were found.
public struct ChunkSearchResult: Sendable, Equatable {
    public var hits: [ChunkHit]
    /// The vector search's plan and counters; nil for full-text search.
    public var report: SearchReport?
}

extension VecdStore {
    /// Columns of a hit, read by ``readHit(_:)``; one extra column may follow at position 14.
    static let hitColumns = """
        k.id, k.document_id, k.chunk_index, k.content, k.start_offset, k.end_offset, k.metadata,
        d.title, d.scope, d.is_global, d.user_id, d.document_type, d.metadata, d.created_at
        """

    static func readHit(_ row: Statement) -> ChunkHit {
        let chunk = readChunk(row)
        let document = DocumentSummary(
            id: chunk.documentID, title: row.string(7), scope: row.string(8), isGlobal: row.int(9) != 0,
            userID: row.optionalString(10), documentType: DocumentType(rawValue: row.string(11)) ?? .text,
            metadata: .parse(row.string(12)), createdAt: date(milliseconds: row.int64(13)))
        return ChunkHit(chunk: chunk, document: document, score: 0)
    }
}

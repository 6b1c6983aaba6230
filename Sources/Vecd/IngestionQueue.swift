import Foundation
import VecdSQLite

/// A document waiting in `ingestion_queue`: what its request gave, under the id it was accepted with.
///
/// Why a queue in SQLite: a job's documents are committed with the job itself, before the 202 that accepts them,
/// and each leaves the queue in the transaction that stores it or records its failure. A job stopped anywhere
/// (SIGTERM, kill -9, power loss within what SQLite's WAL keeps) is taken up again from exactly the documents still
/// queued, under the ids its answer already named: nothing is stored twice and nothing is skipped.
struct QueuedDocument: Sendable {
    var position: Int
    var input: DocumentInput

    /// The `input` column: everything but the given vectors, which go to the `vectors` blob.
    private struct Fields: Codable {
        var title: String
        var content: String
        var documentType: DocumentType
        var scope: String
        var metadata: String
        var userID: String?
        var isGlobal: Bool
        var pdfBase64: String?
        var vectorLengths: [Int]?

        enum CodingKeys: String, CodingKey {
            case title, content, scope, metadata
            case documentType = "document_type"
            case userID = "user_id"
            case isGlobal = "is_global"
            case pdfBase64 = "pdf_base64"
            case vectorLengths = "vector_lengths"
        }
    }

    /// The values of one `ingestion_queue` row (job id excluded): position, document id, input JSON, vectors.
    static func row(_ input: DocumentInput, id: String, position: Int) throws -> [any SQLiteBindable] {
        let fields = Fields(
            title: input.title, content: input.content, documentType: input.documentType, scope: input.scope,
            metadata: input.metadata.jsonText, userID: input.userID, isGlobal: input.isGlobal,
            pdfBase64: input.pdf?.base64EncodedString(), vectorLengths: input.vectors?.map(\.count))
        let json = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
        let vectors = input.vectors.map { VectorBlob.encode($0.flatMap { $0 }) }
        return [position, id, json, vectors]
    }

    /// Up to `limit` queued documents of `jobID` after `position`, in request order.
    static func next(
        of jobID: String, after position: Int, limit: Int, connection: Connection
    ) throws -> [QueuedDocument] {
        let statement = try connection.prepare(
            """
            SELECT position, document_id, input, vectors FROM ingestion_queue
            WHERE job_id = ? AND position > ? ORDER BY position LIMIT ?
            """)
        try statement.bind([jobID, position, limit])
        var documents: [QueuedDocument] = []
        while try statement.step() {
            let fields = try JSONDecoder().decode(Fields.self, from: Data(statement.string(2).utf8))
            var input = DocumentInput(
                id: statement.string(1), title: fields.title, content: fields.content,
                documentType: fields.documentType, scope: fields.scope, metadata: Metadata.parse(fields.metadata),
                userID: fields.userID, isGlobal: fields.isGlobal)
            input.pdf = fields.pdfBase64.flatMap { Data(base64Encoded: $0) }
            if let lengths = fields.vectorLengths {
                var flat: [Float] = []
                guard statement.withBlob(3, { VectorBlob.decode($0, into: &flat) }), flat.count == lengths.reduce(0, +)
                else { throw VecdError(.storage, "queued document \(statement.string(1)): its vectors are damaged") }
                var vectors: [[Float]] = []
                var start = 0
                for length in lengths {
                    vectors.append(Array(flat[start..<start + length]))
                    start += length
                }
                input.vectors = vectors
            }
            documents.append(QueuedDocument(position: statement.int(0), input: input))
        }
        return documents
    }
}

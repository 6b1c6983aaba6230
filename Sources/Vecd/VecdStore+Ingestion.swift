import Foundation
import VecdSQLite

extension VecdStore {
    /// Most documents one ingestion takes.
    public static let maxDocumentsPerIngestion = 10_000

    /// Ingests `documents` into `collection` and waits for the job to finish.
    ///
    /// Each document is extracted, chunked, embedded (or takes its given vectors) and then stored with its chunks
    /// and vectors in one transaction, so a failure leaves no document without its chunks (seed 004's orphan risk).
    /// A document that fails is recorded in the job's `errors` and the rest go on: the job ends `completed`,
    /// `partial` or `failed`.
    public func ingest(
        _ documents: [DocumentInput], into collection: String, tenant: String = defaultTenant,
        chunking: ChunkingOptions = ChunkingOptions()
    ) async throws(VecdError) -> IngestionResult {
        let job = try createJob(documents, collection: collection, tenant: tenant, chunking: chunking)
        return try await runJob(job.id, documents, collection: collection, tenant: tenant, chunking: chunking)
    }

    /// Queues the ingestion and returns at once; the job runs in the background. Follow it with
    /// ``ingestionJob(id:tenant:)``, or await the ticket's `completion`.
    public func submitIngestion(
        _ documents: [DocumentInput], into collection: String, tenant: String = defaultTenant,
        chunking: ChunkingOptions = ChunkingOptions()
    ) throws(VecdError) -> IngestionTicket {
        let job = try createJob(documents, collection: collection, tenant: tenant, chunking: chunking)
        let completion = Task { () async throws -> IngestionResult in
            try await self.runJob(job.id, documents, collection: collection, tenant: tenant, chunking: chunking)
        }
        return IngestionTicket(job: job, completion: completion)
    }

    /// The job `id` of `tenant`.
    public func ingestionJob(id: String, tenant: String = defaultTenant) throws(VecdError) -> IngestionJob {
        let job = try read { state in try Self.readJob(id: id, tenant: tenant, connection: state.connection) }
        guard let job else { throw VecdError(.notFound, "no ingestion job \(id)") }
        return job
    }

    private func createJob(
        _ documents: [DocumentInput], collection: String, tenant: String, chunking: ChunkingOptions
    ) throws(VecdError) -> IngestionJob {
        try chunking.validate()
        try checkTenant(tenant)
        guard documents.count <= Self.maxDocumentsPerIngestion else {
            throw VecdError(
                .tooLarge,
                "an ingestion takes at most \(Self.maxDocumentsPerIngestion) documents, got \(documents.count)")
        }
        let id = newID()
        let created = milliseconds(now)
        return try write { state, _ in
            let target = try state.collection(collection)
            try state.connection.run(
                "INSERT INTO ingestion_jobs (id, collection_id, tenant_id, total_documents, created_at) VALUES (?, ?, ?, ?, ?)",
                [id, target.id, tenant, documents.count, created])
            return try Self.readJob(id: id, tenant: tenant, connection: state.connection)!
        }
    }

    private func runJob(
        _ jobID: String, _ documents: [DocumentInput], collection: String, tenant: String, chunking: ChunkingOptions
    ) async throws(VecdError) -> IngestionResult {
        let started = milliseconds(now)
        try write { state, _ in
            try state.connection.run(
                "UPDATE ingestion_jobs SET status = 'processing', started_at = ? WHERE id = ?", [started, jobID])
        }
        var ids: [String?] = []
        for (position, input) in documents.enumerated() {
            do {
                ids.append(
                    try await storeDocument(
                        input, collection: collection, tenant: tenant, chunking: chunking,
                        jobID: jobID))
            } catch {
                ids.append(nil)
                let name = input.title.isEmpty ? "document \(position)" : input.title
                try recordFailure(jobID: jobID, document: name, error: error)
            }
        }
        let finished = milliseconds(now)
        let job = try write { state, _ in
            try state.connection.run(
                """
                UPDATE ingestion_jobs SET finished_at = ?, status = CASE
                    WHEN failed_documents = 0 THEN 'completed'
                    WHEN processed_documents = 0 THEN 'failed'
                    ELSE 'partial' END
                WHERE id = ?
                """, [finished, jobID])
            return try Self.readJob(id: jobID, tenant: tenant, connection: state.connection)!
        }
        return IngestionResult(job: job, documentIDs: ids)
    }

    private func recordFailure(jobID: String, document: String, error: VecdError) throws(VecdError) {
        let failure = IngestionFailure(
            document: document, error: error.description, timestamp: ISO8601DateFormatter().string(from: now))
        let json = (try? JSONEncoder().encode(failure)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        try write { state, _ in
            try state.connection.run(
                "UPDATE ingestion_jobs SET failed_documents = failed_documents + 1, "
                    + "errors = json_insert(errors, '$[#]', json(?)) WHERE id = ?", [json, jobID])
        }
    }

    /// Extracts, chunks, embeds and stores one document with its chunks in one transaction; returns its id.
    private func storeDocument(
        _ input: DocumentInput, collection: String, tenant: String, chunking: ChunkingOptions, jobID: String?
    ) async throws(VecdError) -> String {
        let text =
            try input.pdf.map { (pdf) throws(VecdError) in try TextExtractor.pdfText(pdf) }
            ?? TextExtractor.text(of: input.content, type: input.documentType)
        try checkText(text, limit: configuration.maxDocumentByteCount, what: "document content")
        try checkMetadata(input.metadata)
        if let id = input.id { try checkIdentifier(id, what: "document id") }
        let pieces = TextChunker.chunks(text, options: chunking)
        let vectors: [[Float]]
        if let given = input.vectors {
            guard given.count == pieces.count else {
                throw VecdError(
                    .invalidArgument,
                    "the document was cut into \(pieces.count) chunks but \(given.count) vectors were given")
            }
            vectors = given
        } else {
            vectors = try await embed(pieces.map(\.content))
        }
        let id = input.id ?? newID()
        let stamp = milliseconds(now)
        let metadata = input.metadata.jsonText
        try write { state, changes in
            let target = try state.collection(collection)
            for vector in vectors { try checkVector(vector, dimension: target.info.dimension, what: "chunk vector") }
            try state.connection.run(
                """
                INSERT INTO documents (id, collection_id, tenant_id, user_id, scope, is_global, title, content,
                    document_type, metadata, job_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    id, target.id, tenant, input.userID, input.scope, input.isGlobal, input.title, text,
                    input.documentType.rawValue, metadata, jobID, stamp, stamp,
                ])
            for (index, (piece, vector)) in zip(pieces, vectors).enumerated() {
                let vectorID = try changes.insert(vector, into: target, connection: state.connection)
                try state.connection.run(
                    """
                    INSERT INTO chunks (document_id, chunk_index, content, start_offset, end_offset, metadata, vector_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        id, index, piece.content, piece.start, piece.end,
                        "{\"start_char\":\(piece.start),\"end_char\":\(piece.end)}", vectorID,
                    ])
            }
            if let jobID {
                try state.connection.run(
                    "UPDATE ingestion_jobs SET processed_documents = processed_documents + 1, "
                        + "chunk_count = chunk_count + ? WHERE id = ?", [pieces.count, jobID])
            }
        }
        return id
    }

    static func readJob(id: String, tenant: String, connection: Connection) throws -> IngestionJob? {
        try connection.queryFirst(
            """
            SELECT j.id, c.name, j.tenant_id, j.status, j.total_documents, j.processed_documents, j.failed_documents,
                j.chunk_count, j.errors, j.created_at, j.started_at, j.finished_at
            FROM ingestion_jobs j JOIN collections c ON c.id = j.collection_id
            WHERE j.id = ? AND j.tenant_id = ?
            """, [id, tenant]
        ) { row in
            IngestionJob(
                id: row.string(0), collection: row.string(1), tenantID: row.string(2),
                status: IngestionStatus(rawValue: row.string(3)) ?? .failed, totalDocuments: row.int(4),
                processedDocuments: row.int(5), failedDocuments: row.int(6), chunkCount: row.int(7),
                errors: (try? JSONDecoder().decode([IngestionFailure].self, from: Data(row.string(8).utf8))) ?? [],
                createdAt: date(milliseconds: row.int64(9)),
                startedAt: row.optionalInt(10).map { date(milliseconds: Int64($0)) },
                finishedAt: row.optionalInt(11).map { date(milliseconds: Int64($0)) })
        }
    }
}

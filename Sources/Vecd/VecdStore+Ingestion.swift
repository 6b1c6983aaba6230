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
            if documents.contains(where: { $0.vectors == nil }) { try checkEmbedderModel(of: target.info) }
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
        var ids = [String?](repeating: nil, count: documents.count)
        var position = 0
        while position < documents.count {
            // Documents are prepared (extracted, chunked, embedded) outside the lock and stored a group at a time:
            // one commit and one index batch per group instead of per document.
            var group = IngestionGroup(jobID: jobID, chunkLimit: configuration.ingestionGroupChunkCount)
            while position < documents.count, !group.isFull {
                let input = documents[position]
                do {
                    group.add(try await prepareDocument(input, chunking: chunking), at: position)
                } catch {
                    group.fail(at: position, name: Self.failureName(input, position), error: error, at: now)
                }
                position += 1
            }
            let stored = try storeGroup(group, collection: collection, tenant: tenant)
            for (position, id) in stored { ids[position] = id }
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

    static func failureName(_ input: DocumentInput, _ position: Int) -> String {
        input.title.isEmpty ? "document \(position)" : input.title
    }

    /// Extracts, checks, chunks and embeds one document (everything but the SQL), outside the store's lock.
    private func prepareDocument(
        _ input: DocumentInput, chunking: ChunkingOptions
    ) async throws(VecdError) -> PreparedDocument {
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
        return PreparedDocument(
            input: input, id: input.id ?? newID(), text: text, pieces: pieces, vectors: vectors,
            stamp: milliseconds(now))
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

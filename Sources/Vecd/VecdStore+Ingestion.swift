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
    /// `partial` or `failed`. The documents are queued durably first, as with ``submitIngestion(_:into:tenant:chunking:)``:
    /// when ``stopIngestion(within:)`` stops the job first, the result's job is still `queued` and the rest of it
    /// is stored after ``resumeIngestion()``.
    public func ingest(
        _ documents: [DocumentInput], into collection: String, tenant: String = defaultTenant,
        chunking: ChunkingOptions = ChunkingOptions()
    ) async throws(VecdError) -> IngestionResult {
        let ticket = try submitIngestion(documents, into: collection, tenant: tenant, chunking: chunking)
        do { return try await ticket.completion.value } catch { throw VecdError.wrap(error) }
    }

    /// Queues the ingestion and returns at once; the job runs in the background. Follow it with
    /// ``ingestionJob(id:tenant:)``, or await the ticket's `completion`.
    ///
    /// When this returns, the job and every document of it are committed to SQLite under the ids in the ticket
    /// (a document without an id gets a new UUID now): a crash or shutdown from here on loses none of them, and
    /// ``resumeIngestion()`` takes the job up where it stopped.
    public func submitIngestion(
        _ documents: [DocumentInput], into collection: String, tenant: String = defaultTenant,
        chunking: ChunkingOptions = ChunkingOptions()
    ) throws(VecdError) -> IngestionTicket {
        let (job, ids) = try createJob(documents, collection: collection, tenant: tenant, chunking: chunking)
        let completion =
            startJob(job.id, acceptedIDs: ids)
            ?? Task { IngestionResult(job: job, documentIDs: ids.map { _ in nil }) }
        return IngestionTicket(job: job, documentIDs: ids, completion: completion)
    }

    /// The job `id` of `tenant`, as last committed. Read on a connection of its own, so a client polling its job
    /// never waits behind the job's own writes.
    public func ingestionJob(id: String, tenant: String = defaultTenant) throws(VecdError) -> IngestionJob {
        let job = try readConcurrently { connection in
            try Self.readJob(id: id, tenant: tenant, connection: connection)
        }
        guard let job else { throw VecdError(.notFound, "no ingestion job \(id)") }
        return job
    }

    /// Takes up every job left unfinished in the store: a job found `processing` with no worker of this store on it
    /// (its process died) is counted as interrupted by a crash and queued again, and each queued job gets a worker
    /// that stores its remaining documents. Returns the jobs taken up, oldest first. `vecd serve` calls it at
    /// start; a program embedding the store calls it once after opening it.
    @discardableResult
    public func resumeIngestion() throws(VecdError) -> [String] {
        let running = ingestion.runningJobs
        let jobs = try write { state, _ in
            let unfinished = try state.connection.query(
                "SELECT id, status FROM ingestion_jobs WHERE status IN ('queued', 'processing') ORDER BY created_at, id"
            ) { (id: $0.string(0), status: $0.string(1)) }.filter { !running.contains($0.id) }
            for job in unfinished where job.status == IngestionStatus.processing.rawValue {
                try Self.markInterrupted(job.id, .crash, connection: state.connection)
            }
            return unfinished.map(\.id)
        }
        for id in jobs { _ = startJob(id, acceptedIDs: []) }
        return jobs
    }

    /// Stops the ingestion workers for a shutdown: each stores the group of documents it has prepared (one
    /// transaction) and leaves the rest of its job queued, marked interrupted by a shutdown; waits for that up to
    /// `bound`. A worker still busy then (a slow embedder) is cancelled: its unstored group stays queued as well.
    /// No worker starts afterwards; jobs submitted meanwhile are queued for ``resumeIngestion()``.
    public func stopIngestion(within bound: Duration) async -> IngestionStop {
        let running = ingestion.runningJobs
        let cut = await ingestion.stop(within: bound)
        for id in cut {
            _ = try? write { state, _ in try Self.markInterrupted(id, .shutdown, connection: state.connection) }
        }
        return IngestionStop(drained: running.subtracting(cut).sorted(), cut: cut)
    }

    private func startJob(_ id: String, acceptedIDs: [String]) -> Task<IngestionResult, any Error>? {
        ingestion.start(id) { () async throws -> IngestionResult in
            try await self.runJob(id, acceptedIDs: acceptedIDs)
        }
    }

    /// Commits the job and its queued documents in one transaction; returns the job and the documents' ids.
    private func createJob(
        _ documents: [DocumentInput], collection: String, tenant: String, chunking: ChunkingOptions
    ) throws(VecdError) -> (IngestionJob, [String]) {
        try chunking.validate()
        try checkTenant(tenant)
        guard documents.count <= Self.maxDocumentsPerIngestion else {
            throw VecdError(
                .tooLarge,
                "an ingestion takes at most \(Self.maxDocumentsPerIngestion) documents, got \(documents.count)")
        }
        let id = newID()
        let created = milliseconds(now)
        let ids = documents.map { $0.id ?? newID() }
        // Encoded before the lock is taken: only the inserts run inside it.
        let rows: [[any SQLiteBindable]]
        do {
            rows = try zip(documents, ids).enumerated().map { position, pair in
                [id] + (try QueuedDocument.row(pair.0, id: pair.1, position: position))
            }
        } catch {
            throw VecdError(.invalidArgument, "a document cannot be queued: \(error)")
        }
        let job = try write { state, _ in
            let target = try state.collection(collection)
            if documents.contains(where: { $0.vectors == nil }) { try checkEmbedderModel(of: target.info) }
            try state.connection.run(
                """
                INSERT INTO ingestion_jobs (id, collection_id, tenant_id, total_documents, created_at, chunk_size,
                    chunk_overlap)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                [id, target.id, tenant, documents.count, created, chunking.size, chunking.overlap])
            let insert = try state.connection.prepare(
                "INSERT INTO ingestion_queue (job_id, position, document_id, input, vectors) VALUES (?, ?, ?, ?, ?)")
            for row in rows {
                insert.reset()
                try insert.bind(row)
                try insert.run()
            }
            return try Self.readJob(id: id, tenant: tenant, connection: state.connection)!
        }
        return (job, ids)
    }

    /// What a worker needs to know of its job, read from the job's row.
    private struct JobPlan: Sendable {
        var collection: String
        var tenant: String
        var chunking: ChunkingOptions
    }

    /// Works through the job's queue in request order, a group per transaction, until it is empty (the job then
    /// ends `completed`, `partial` or `failed`) or ``stopIngestion(within:)`` stops it (it stays `queued`).
    private func runJob(_ jobID: String, acceptedIDs: [String]) async throws(VecdError) -> IngestionResult {
        let started = milliseconds(now)
        let plan = try write { state, _ -> JobPlan? in
            try state.connection.run(
                """
                UPDATE ingestion_jobs SET status = 'processing', started_at = coalesce(started_at, ?)
                WHERE id = ? AND status IN ('queued', 'processing')
                """, [started, jobID])
            return try state.connection.queryFirst(
                """
                SELECT c.name, j.tenant_id, j.chunk_size, j.chunk_overlap
                FROM ingestion_jobs j JOIN collections c ON c.id = j.collection_id WHERE j.id = ?
                """, [jobID]
            ) { JobPlan(collection: $0.string(0), tenant: $0.string(1), chunking: .init(size: $0.int(2), overlap: $0.int(3))) }
        }
        guard let plan else { throw VecdError(.notFound, "no ingestion job \(jobID)") }
        var stopped = false
        var after = -1
        var storedPositions = Set<Int>()
        pages: while true {
            // The last commit is all there is to see: only this worker takes this job's rows out of the queue.
            let page = try readConcurrently { connection in
                try QueuedDocument.next(
                    of: jobID, after: after, limit: IngestionGroup.documentLimit, connection: connection)
            }
            if page.isEmpty { break }
            var index = 0
            while index < page.count {
                if ingestion.isStopping {
                    stopped = true
                    break pages
                }
                // Documents are prepared (extracted, chunked, embedded) outside the lock and stored a group at a
                // time: one commit and one index batch per group instead of per document. A stop request ends the
                // group early: what is prepared is stored, the rest stays queued.
                var group = IngestionGroup(jobID: jobID, chunkLimit: configuration.ingestionGroupChunkCount)
                while index < page.count, !group.isFull, !ingestion.isStopping {
                    // Preparing a document rarely suspends (an offline embedder never does): yield, so that a
                    // worker never holds a thread of the shared pool for a whole job while requests wait for one.
                    await Task.yield()
                    let queued = page[index]
                    do {
                        group.add(try await prepareDocument(queued.input, chunking: plan.chunking), at: queued.position)
                    } catch {
                        group.fail(
                            at: queued.position, name: Self.failureName(queued.input, queued.position),
                            documentID: queued.input.id, error: error, at: now)
                    }
                    index += 1
                }
                for (position, _) in try storeGroup(group, collection: plan.collection, tenant: plan.tenant) {
                    storedPositions.insert(position)
                }
                // A stop that lands before the group took its first document leaves the group empty and `index`
                // where it was: nothing of this page was taken yet (at its start there is no previous position).
                if index > 0 { after = page[index - 1].position }
            }
        }
        let finished = milliseconds(now)
        let job = try write { state, _ in
            if stopped {
                try Self.markInterrupted(jobID, .shutdown, connection: state.connection)
            } else {
                try state.connection.run(
                    """
                    UPDATE ingestion_jobs SET finished_at = ?, status = CASE
                        WHEN failed_documents = 0 THEN 'completed'
                        WHEN processed_documents = 0 THEN 'failed'
                        ELSE 'partial' END
                    WHERE id = ? AND status IN ('queued', 'processing')
                        AND NOT EXISTS (SELECT 1 FROM ingestion_queue WHERE job_id = ?)
                    """, [finished, jobID, jobID])
            }
            return try Self.readJob(id: jobID, tenant: plan.tenant, connection: state.connection)
        }
        guard let job else { throw VecdError(.notFound, "no ingestion job \(jobID)") }
        // By position, not by id: two documents given the same id are one stored and one failed.
        return IngestionResult(
            job: job,
            documentIDs: acceptedIDs.enumerated().map { storedPositions.contains($0.offset) ? $0.element : nil })
    }

    /// Queues a job that stopped before it finished again, counting the interruption; a job no longer
    /// `processing` (finished, or already marked) is left as it is.
    static func markInterrupted(
        _ jobID: String, _ reason: IngestionInterruption, connection: Connection
    ) throws {
        try connection.run(
            """
            UPDATE ingestion_jobs SET status = 'queued', interruptions = interruptions + 1, last_interruption = ?
            WHERE id = ? AND status = 'processing'
            """, [reason.rawValue, jobID])
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
                j.chunk_count, j.errors, j.created_at, j.started_at, j.finished_at, j.interruptions,
                j.last_interruption
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
                finishedAt: row.optionalInt(11).map { date(milliseconds: Int64($0)) }, interruptions: row.int(12),
                lastInterruption: row.optionalString(13).flatMap(IngestionInterruption.init(rawValue:)))
        }
    }
}

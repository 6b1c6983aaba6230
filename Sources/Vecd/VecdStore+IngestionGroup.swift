import Foundation
import VecdSQLite

/// A document ready to store: its text extracted and checked, chunked, and embedded.
struct PreparedDocument: Sendable {
    var input: DocumentInput
    var id: String
    var text: String
    var pieces: [TextPiece]
    var vectors: [[Float]]
    /// `created_at` / `updated_at`, in milliseconds.
    var stamp: Int64
}

/// The documents of one ingestion stored by one transaction, and the ones that failed before reaching it; the
/// transaction also takes all of them out of `ingestion_queue`.
///
/// Why groups: a commit, the change-log read and the index insert each have a fixed cost per call, and an index batch
/// of many vectors is inserted on every build thread; per-document transactions paid all of that for a few chunks.
/// Each document still goes in its own savepoint, so one that fails leaves nothing behind and the rest are kept.
struct IngestionGroup {
    /// Documents per group, for documents of one chunk each.
    static let documentLimit = 256

    let jobID: String
    /// Chunks per group (``VecdStore/Configuration/ingestionGroupChunkCount``, 512): large enough that the
    /// per-commit costs vanish, small enough that a job's progress moves and a search waits for the store's lock at
    /// most one group's commit and index insert.
    let chunkLimit: Int
    private(set) var documents: [(position: Int, document: PreparedDocument)] = []
    private(set) var failures: [(position: Int, failure: IngestionFailure)] = []
    private var chunkCount = 0

    init(jobID: String, chunkLimit: Int) {
        self.jobID = jobID
        self.chunkLimit = max(1, chunkLimit)
    }

    var isFull: Bool { chunkCount >= chunkLimit || documents.count >= Self.documentLimit }

    mutating func add(_ document: PreparedDocument, at position: Int) {
        documents.append((position, document))
        chunkCount += document.pieces.count
    }

    mutating func fail(at position: Int, name: String, documentID: String?, error: VecdError, at time: Date) {
        let failure = IngestionFailure(
            document: name, error: error.description, timestamp: ISO8601DateFormatter().string(from: time),
            documentID: documentID, position: position)
        failures.append((position, failure))
    }
}

extension VecdStore {
    /// Stores the group's documents with their chunks and vectors in one transaction, each document in a savepoint,
    /// and records the job's progress and failures in the same transaction; returns the stored documents' ids by
    /// position.
    func storeGroup(
        _ group: IngestionGroup, collection: String, tenant: String
    ) throws(VecdError) -> [(position: Int, id: String)] {
        var group = group
        let failureTime = now
        return try write { state, changes in
            let target = try state.collection(collection)
            var stored: [(position: Int, id: String)] = []
            var chunkCount = 0
            for (position, document) in group.documents {
                do {
                    try state.connection.inTransaction {
                        try self.insert(document, tenant: tenant, jobID: group.jobID, into: target, state, changes)
                    }
                    stored.append((position, document.id))
                    chunkCount += document.pieces.count
                } catch {
                    // A full disk or unwritable files are no fault of the document: the whole group is refused
                    // (nothing of it is kept) rather than recorded as that document's failure.
                    if VecdError.isStorageUnavailable(error) { throw error }
                    group.fail(
                        at: position, name: Self.failureName(document.input, position), documentID: document.id,
                        error: VecdError.wrap(error), at: failureTime)
                }
            }
            // The group's documents leave the queue in the transaction that stores them or records their failure:
            // a job taken up again after a stop neither stores one twice nor skips one.
            let dequeue = try state.connection.prepare(
                "DELETE FROM ingestion_queue WHERE job_id = ? AND position = ?")
            for position in group.documents.map(\.position) + group.failures.map(\.position) {
                dequeue.reset()
                try dequeue.bind([group.jobID, position])
                try dequeue.run()
            }
            try state.connection.run(
                "UPDATE ingestion_jobs SET processed_documents = processed_documents + ?, "
                    + "chunk_count = chunk_count + ?, failed_documents = failed_documents + ? WHERE id = ?",
                [stored.count, chunkCount, group.failures.count, group.jobID])
            for (_, failure) in group.failures.sorted(by: { $0.position < $1.position }) {
                let json = (try? JSONEncoder().encode(failure)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
                try state.connection.run(
                    "UPDATE ingestion_jobs SET errors = json_insert(errors, '$[#]', json(?)) WHERE id = ?",
                    [json, group.jobID])
            }
            return stored
        }
    }

    /// The SQL of one document: its row, then each chunk's vector and row (triggers log the vectors for the index
    /// and index the text for FTS5).
    private func insert(
        _ document: PreparedDocument, tenant: String, jobID: String, into target: VectorCollection,
        _ state: StoreState, _ changes: VectorChanges
    ) throws {
        for vector in document.vectors {
            try checkVector(vector, dimension: target.info.dimension, what: "chunk vector")
        }
        let input = document.input
        try state.connection.run(
            """
            INSERT INTO documents (id, collection_id, tenant_id, user_id, scope, is_global, title, content,
                document_type, metadata, job_id, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                document.id, target.id, tenant, input.userID, input.scope, input.isGlobal, input.title, document.text,
                input.documentType.rawValue, input.metadata.jsonText, jobID, document.stamp, document.stamp,
            ])
        for (index, (piece, vector)) in zip(document.pieces, document.vectors).enumerated() {
            let vectorID = try changes.insert(vector, into: target, connection: state.connection)
            try state.connection.run(
                """
                INSERT INTO chunks (tenant_id, document_id, chunk_index, content, start_offset, end_offset, metadata,
                    vector_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    tenant, document.id, index, piece.content, piece.start, piece.end,
                    "{\"start_char\":\(piece.start),\"end_char\":\(piece.end)}", vectorID,
                ])
        }
    }
}

public import Foundation

/// The kinds of document seed 004 stores.
public enum DocumentType: String, Sendable, CaseIterable, Codable {
    case text, markdown, html, pdf, code
}

/// A document to ingest.
public struct DocumentInput: Sendable {
    /// The id to store it under; a new UUID when nil.
    public var id: String?
    public var title: String
    /// The raw content (HTML with its tags, Markdown as written). For PDF use ``init(pdf:title:)``.
    public var content: String
    public var documentType: DocumentType
    /// Free text such as `global`, `page:portfolio-overview`, `tenant:XYZ` (seed 001).
    public var scope: String
    public var metadata: Metadata
    /// The owning user; nil for a document every user of the tenant sees.
    public var userID: String?
    /// Visible to every user of the tenant even though it has an owner (seed 004).
    public var isGlobal: Bool
    /// One vector per chunk, given instead of embedding the chunks (their count must match the chunking).
    public var vectors: [[Float]]?
    var pdf: Data?

    public init(
        id: String? = nil, title: String = "", content: String, documentType: DocumentType = .text,
        scope: String = "global", metadata: Metadata = [:], userID: String? = nil, isGlobal: Bool = false,
        vectors: [[Float]]? = nil
    ) {
        self.id = id
        self.title = title
        self.content = content
        self.documentType = documentType
        self.scope = scope
        self.metadata = metadata
        self.userID = userID
        self.isGlobal = isGlobal
        self.vectors = vectors
    }

    /// A PDF document; its text is extracted with `pdftotext` when it is ingested.
    public init(pdf: Data, title: String = "", scope: String = "global", metadata: Metadata = [:]) {
        self.init(title: title, content: "", documentType: .pdf, scope: scope, metadata: metadata)
        self.pdf = pdf
    }
}

/// A stored document.
public struct Document: Sendable, Equatable {
    public var id: String
    public var collection: String
    public var tenantID: String
    public var userID: String?
    public var scope: String
    public var isGlobal: Bool
    public var title: String
    /// The extracted plain text (what the chunks' offsets point into).
    public var content: String
    public var documentType: DocumentType
    public var metadata: Metadata
    public var jobID: String?
    public var createdAt: Date
    public var updatedAt: Date
}

/// A stored chunk of a document.
public struct Chunk: Sendable, Equatable {
    public var id: Int64
    public var documentID: String
    public var index: Int
    public var content: String
    /// Unicode-scalar offsets of the chunk in the document's content, end exclusive.
    public var startOffset: Int
    public var endOffset: Int
    public var metadata: Metadata
}

/// The state of an ingestion (seed 004's `ingestion_jobs`).
///
/// `queued`: accepted and durably queued, no worker on it at the moment (new, or stopped by a shutdown or crash
/// before it finished: then ``IngestionJob/interruptions`` says so); it runs when a worker takes it up (at once in a
/// running server, else at the next start). `processing`: a worker is storing it. The other three are final.
public enum IngestionStatus: String, Sendable, Codable {
    case queued, processing, completed, failed, partial
}

/// Why a job last stopped before it finished.
public enum IngestionInterruption: String, Sendable, Codable {
    /// The server was stopped (SIGTERM, SIGINT): the running group was drained, the rest stayed queued.
    case shutdown
    /// The process died with the job running (kill -9, a crash, power loss); found so at the next start.
    case crash
}

/// One document that failed, as recorded in the job's `errors` array.
public struct IngestionFailure: Sendable, Equatable, Codable {
    /// The document's title, or its position in the batch when untitled.
    public var document: String
    public var error: String
    /// ISO 8601.
    public var timestamp: String
    /// The id the document was accepted under (absent in failures recorded before ids were kept here).
    public var documentID: String?
    /// The document's position in the request, from 0.
    public var position: Int?

    public init(document: String, error: String, timestamp: String, documentID: String? = nil, position: Int? = nil) {
        self.document = document
        self.error = error
        self.timestamp = timestamp
        self.documentID = documentID
        self.position = position
    }

    enum CodingKeys: String, CodingKey {
        case document, error, timestamp, position
        case documentID = "document_id"
    }
}

/// An ingestion job and its progress.
public struct IngestionJob: Sendable, Equatable {
    public var id: String
    public var collection: String
    public var tenantID: String
    public var status: IngestionStatus
    public var totalDocuments: Int
    public var processedDocuments: Int
    public var failedDocuments: Int
    public var chunkCount: Int
    public var errors: [IngestionFailure]
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// How often the job stopped before it finished (a shutdown or a crash) and was queued again.
    public var interruptions: Int = 0
    /// Why it last stopped, when it did.
    public var lastInterruption: IngestionInterruption?

    /// Documents still waiting in the queue: `total - processed - failed`.
    public var queuedDocuments: Int { max(0, totalDocuments - processedDocuments - failedDocuments) }

    /// `(processed + failed) / total × 100`, as seed 004 defines it; 100 for an empty job.
    public var progressPercent: Double {
        totalDocuments == 0 ? 100 : Double(processedDocuments + failedDocuments) / Double(totalDocuments) * 100
    }
}

/// What ``VecdStore/ingest(_:into:tenant:chunking:)`` returns: the finished job and the id of each document in
/// input order (nil where that document failed).
public struct IngestionResult: Sendable, Equatable {
    public var job: IngestionJob
    public var documentIDs: [String?]
}

/// A queued ingestion: the job as created (its documents already committed to the queue), the id each document
/// is stored under, and the task that works on it.
public struct IngestionTicket: Sendable {
    public var job: IngestionJob
    /// The id of each document in request order, fixed when the job was accepted.
    public var documentIDs: [String]
    /// Completes with the job once it finished, or still `queued` when the store stopped its ingestion first
    /// (``VecdStore/stopIngestion(within:)``); fails only on a storage error (document failures are in the job).
    public var completion: Task<IngestionResult, any Error>
}

/// What ``VecdStore/stopIngestion(within:)`` did.
public struct IngestionStop: Sendable, Equatable {
    /// Jobs whose worker stored its prepared group and stopped within the bound; the rest of each stays queued.
    public var drained: [String]
    /// Jobs whose worker was still busy at the bound and was cancelled; its unstored documents stay queued.
    public var cut: [String]
}

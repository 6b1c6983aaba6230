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
public enum IngestionStatus: String, Sendable, Codable {
    case queued, processing, completed, failed, partial
}

/// One document that failed, as recorded in the job's `errors` array.
public struct IngestionFailure: Sendable, Equatable, Codable {
    /// The document's title, or its position in the batch when untitled.
    public var document: String
    public var error: String
    /// ISO 8601.
    public var timestamp: String
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

/// A queued ingestion: the job as created, and the task that finishes it.
public struct IngestionTicket: Sendable {
    public var job: IngestionJob
    /// Completes with the finished job; fails only on a storage error (document failures are in the job).
    public var completion: Task<IngestionResult, any Error>
}

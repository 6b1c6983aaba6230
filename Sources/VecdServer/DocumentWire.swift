import Foundation
import Vecd
import VecdIndex
import VecdKernels

/// A collection's settings on the wire.
struct CollectionWire: Encodable, Sendable {
    var name: String
    var dimension: Int
    var metric: String
    var storage: String
    var modelID: String

    enum CodingKeys: String, CodingKey {
        case name, dimension, metric, storage
        case modelID = "model_id"
    }

    init(_ info: CollectionInfo) {
        name = info.name
        dimension = info.dimension
        metric = info.metric.rawValue
        storage = info.storage.rawValue
        modelID = info.modelID
    }
}

/// An ingestion job and its progress on the wire.
struct JobWire: Encodable, Sendable {
    var id: String
    var collection: String
    var status: String
    var totalDocuments: Int
    var processedDocuments: Int
    var failedDocuments: Int
    var chunkCount: Int
    var progressPercent: Double
    var errors: [IngestionFailure]
    var createdAt: String
    @NullEncoded var startedAt: String?
    @NullEncoded var finishedAt: String?
    /// Documents still queued (not yet stored nor failed).
    var queuedDocuments: Int
    /// How often the job stopped before it finished (a shutdown or a crash) and was queued again.
    var interruptions: Int
    /// `shutdown` or `crash`: why it last stopped; null when it never did.
    @NullEncoded var lastInterruption: String?

    enum CodingKeys: String, CodingKey {
        case id, collection, status, errors, interruptions
        case queuedDocuments = "queued_documents"
        case lastInterruption = "last_interruption"
        case totalDocuments = "total_documents"
        case processedDocuments = "processed_documents"
        case failedDocuments = "failed_documents"
        case chunkCount = "chunk_count"
        case progressPercent = "progress_percent"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    init(_ job: IngestionJob) {
        id = job.id
        collection = job.collection
        status = job.status.rawValue
        totalDocuments = job.totalDocuments
        processedDocuments = job.processedDocuments
        failedDocuments = job.failedDocuments
        chunkCount = job.chunkCount
        progressPercent = job.progressPercent
        errors = job.errors
        createdAt = WireDate.format(job.createdAt)
        startedAt = job.startedAt.map(WireDate.format)
        finishedAt = job.finishedAt.map(WireDate.format)
        queuedDocuments = job.queuedDocuments
        interruptions = job.interruptions
        lastInterruption = job.lastInterruption?.rawValue
    }
}

/// A stored document on the wire; `content` is left out of listings, which could otherwise carry megabytes.
struct DocumentWire: Encodable, Sendable {
    var id: String
    var collection: String
    var title: String
    var content: String?
    var documentType: String
    var scope: String
    var isGlobal: Bool
    @NullEncoded var userID: String?
    var metadata: Metadata
    @NullEncoded var jobID: String?
    var createdAt: String
    var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case id, collection, title, content, scope, metadata
        case documentType = "document_type"
        case isGlobal = "is_global"
        case userID = "user_id"
        case jobID = "job_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ document: Document, includingContent: Bool) {
        id = document.id
        collection = document.collection
        title = document.title
        content = includingContent ? document.content : nil
        documentType = document.documentType.rawValue
        scope = document.scope
        isGlobal = document.isGlobal
        userID = document.userID
        metadata = document.metadata
        jobID = document.jobID
        createdAt = WireDate.format(document.createdAt)
        updatedAt = WireDate.format(document.updatedAt)
    }
}

/// A chunk on the wire; offsets count Unicode scalars into the document's extracted text, end exclusive.
struct ChunkWire: Encodable, Sendable {
    var id: Int64
    var documentID: String
    var index: Int
    var content: String
    var startOffset: Int
    var endOffset: Int
    var metadata: Metadata

    enum CodingKeys: String, CodingKey {
        case id, index, content, metadata
        case documentID = "document_id"
        case startOffset = "start_offset"
        case endOffset = "end_offset"
    }

    init(_ chunk: Chunk) {
        id = chunk.id
        documentID = chunk.documentID
        index = chunk.index
        content = chunk.content
        startOffset = chunk.startOffset
        endOffset = chunk.endOffset
        metadata = chunk.metadata
    }
}

/// One search result: the chunk's fields, its scores, and a summary of its document.
struct HitWire: Encodable, Sendable {
    struct DocumentSummaryWire: Encodable, Sendable {
        var id: String
        var title: String
        var scope: String
        var isGlobal: Bool
        @NullEncoded var userID: String?
        var documentType: String
        var metadata: Metadata
        var createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, title, scope, metadata
            case isGlobal = "is_global"
            case userID = "user_id"
            case documentType = "document_type"
            case createdAt = "created_at"
        }
    }

    var chunkID: Int64
    var documentID: String
    var chunkIndex: Int
    var content: String
    var startOffset: Int
    var endOffset: Int
    var score: Double
    @NullEncoded var vectorScore: Double?
    @NullEncoded var textScore: Double?
    var document: DocumentSummaryWire

    enum CodingKeys: String, CodingKey {
        case content, score, document
        case chunkID = "chunk_id"
        case documentID = "document_id"
        case chunkIndex = "chunk_index"
        case startOffset = "start_offset"
        case endOffset = "end_offset"
        case vectorScore = "vector_score"
        case textScore = "text_score"
    }

    init(_ hit: ChunkHit) {
        chunkID = hit.chunk.id
        documentID = hit.chunk.documentID
        chunkIndex = hit.chunk.index
        content = hit.chunk.content
        startOffset = hit.chunk.startOffset
        endOffset = hit.chunk.endOffset
        score = hit.score
        vectorScore = hit.vectorScore
        textScore = hit.textScore
        document = DocumentSummaryWire(
            id: hit.document.id, title: hit.document.title, scope: hit.document.scope,
            isGlobal: hit.document.isGlobal, userID: hit.document.userID,
            documentType: hit.document.documentType.rawValue, metadata: hit.document.metadata,
            createdAt: WireDate.format(hit.document.createdAt))
    }
}

/// How a vector search found its results (the index's ``SearchReport``).
struct SearchReportWire: Encodable, Sendable {
    var plan: String
    var distanceCount: Int
    var hopCount: Int
    @NullEncoded var matchingCount: Int?
    var isComplete: Bool
    var isExhaustive: Bool
    var fellBackToExactScan: Bool

    enum CodingKeys: String, CodingKey {
        case plan
        case distanceCount = "distance_count"
        case hopCount = "hop_count"
        case matchingCount = "matching_count"
        case isComplete = "is_complete"
        case isExhaustive = "is_exhaustive"
        case fellBackToExactScan = "fell_back_to_exact_scan"
    }

    init(_ report: SearchReport) {
        plan = report.plan.rawValue
        distanceCount = report.distanceCount
        hopCount = report.hopCount
        matchingCount = report.matchingCount
        isComplete = report.isComplete
        isExhaustive = report.isExhaustive
        fellBackToExactScan = report.fellBackToExactScan
    }
}

import Foundation
import Hummingbird
import Logging
import Vecd

/// `/v1` documents: ingestion into a collection (as a job with progress), the job, and reading, listing and
/// deleting documents and their chunks.
///
/// A request's checkable mistakes (shape, batch size, ids, blank text, vector dimensions, chunk counts) refuse the
/// whole batch before anything is stored; only failures of the embedder or the PDF converter are left to the job,
/// which then records them per document and ends `partial` or `failed`.
struct V1DocumentRoutes {
    let services: ServerServices

    func register(on router: Router<ServerContext>) {
        let v1 = router.group("v1")
        v1.post("collections/:name/documents", use: ingest)
        v1.get("collections/:name/documents", use: list)
        v1.get("jobs/:id", use: job)
        v1.get("documents/:id", use: get)
        v1.delete("documents/:id", use: delete)
        v1.get("documents/:id/chunks", use: chunks)
    }

    struct IngestResponse: Encodable {
        var job: JobWire
        /// The id of each document in request order. After `wait`, null where the document failed; for a queued
        /// job (202), the ids the documents are stored under: fixed and committed with the job before the answer.
        var documentIDs: [String?]

        enum CodingKeys: String, CodingKey {
            case job
            case documentIDs = "document_ids"
        }
    }

    @Sendable func ingest(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let collection = try Self.collectionName(context)
        let body = try await JSONWire.decode(V1IngestRequest.self, from: request, limit: services.limits.maxBodyBytes)
        guard !body.documents.isEmpty else { throw APIError.invalidArgument("documents must not be empty") }
        try V1Wire.checkBatch(body.documents.count, what: "documents", maxBatch: services.limits.maxBatch)
        var inputs: [DocumentInput] = []
        for (position, document) in body.documents.enumerated() {
            var input = try document.input(
                userID: try caller.actingUser(requested: document.userID), position: position)
            // Ids are fixed now so a queued job's answer can already name its documents.
            input.id = input.id ?? UUID().uuidString.lowercased()
            inputs.append(input)
        }
        let chunking = body.chunking?.options ?? ChunkingOptions()
        let store = services.store
        try store.checkIngestion(inputs, into: collection, tenant: caller.tenant, chunking: chunking)
        // The job and its documents are committed to the queue before either answer: a 202 survives a crash or a
        // restart, and the job is taken up again where it stopped.
        let ticket = try store.submitIngestion(inputs, into: collection, tenant: caller.tenant, chunking: chunking)
        if body.wait == true {
            let result = try await ticket.completion.value
            // A shutdown stopped the job first: it is queued (committed) and finishes after the next start.
            guard result.job.status != .queued, result.job.status != .processing else {
                return try JSONWire.response(
                    IngestResponse(job: JobWire(result.job), documentIDs: ticket.documentIDs), status: .accepted)
            }
            return try JSONWire.response(
                IngestResponse(job: JobWire(result.job), documentIDs: result.documentIDs), status: .created)
        }
        let logger = services.logger
        Task {
            // Document failures are in the job; only a storage failure ends the task with an error.
            do { _ = try await ticket.completion.value } catch {
                logger.error("ingestion job stopped", metadata: ["job": "\(ticket.job.id)", "error": "\(error)"])
            }
        }
        return try JSONWire.response(
            IngestResponse(job: JobWire(ticket.job), documentIDs: ticket.documentIDs), status: .accepted)
    }

    @Sendable func job(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let job = try services.store.ingestionJob(
            id: try V1Wire.pathParameter("id", in: context), tenant: caller.tenant)
        return try JSONWire.response(JobWire(job))
    }

    struct DocumentsResponse: Encodable {
        var documents: [DocumentWire]
    }

    /// Newest first, without content; `limit` (default 100, at most 1000) and `offset` page through them.
    @Sendable func list(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let query = QueryParameters(request)
        let limit = try query.int("limit", default: 100, in: 1...1_000)
        let offset = try query.int("offset", default: 0, in: 0...Int(Int32.max))
        let documents = try services.store.documents(
            in: try Self.collectionName(context), tenant: caller.tenant, limit: limit, offset: offset)
        let visible = documents.filter { caller.canSee($0) }
        return try JSONWire.response(
            DocumentsResponse(documents: visible.map { DocumentWire($0, includingContent: false) }))
    }

    @Sendable func get(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let document = try visibleDocument(try V1Wire.pathParameter("id", in: context), caller: caller)
        return try JSONWire.response(DocumentWire(document, includingContent: true))
    }

    @Sendable func delete(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let document = try visibleDocument(try V1Wire.pathParameter("id", in: context), caller: caller)
        try services.store.deleteDocument(id: document.id, tenant: caller.tenant)
        return V1Wire.noContent()
    }

    struct ChunksResponse: Encodable {
        var chunks: [ChunkWire]
    }

    @Sendable func chunks(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let document = try visibleDocument(try V1Wire.pathParameter("id", in: context), caller: caller)
        let chunks = try services.store.chunks(ofDocument: document.id, tenant: caller.tenant)
        return try JSONWire.response(ChunksResponse(chunks: chunks.map(ChunkWire.init)))
    }

    /// The document, or 404 when it is another tenant's or (for a user-bound key) another user's private one.
    private func visibleDocument(_ id: String, caller: Principal) throws -> Document {
        let document = try services.store.document(id: id, tenant: caller.tenant)
        guard caller.canSee(document) else { throw APIError.notFound("no document \(id)") }
        return document
    }

    /// The collection named in the path; the store's own collections are not reachable here.
    static func collectionName(_ context: ServerContext) throws -> String {
        let name = try V1Wire.pathParameter("name", in: context)
        guard !name.hasPrefix("_") else { throw APIError.notFound("no collection named \(name)") }
        return name
    }
}

extension Principal {
    /// Whether the caller sees `document`: a tenant-wide key sees all of its tenant's, a user-bound key its own,
    /// unowned and `is_global` ones (the rule search applies through ``DocumentFilter/userID``).
    func canSee(_ document: Document) -> Bool {
        guard let userID, let owner = document.userID else { return true }
        return owner == userID || document.isGlobal
    }
}

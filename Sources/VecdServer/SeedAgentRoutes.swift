import Foundation
import Hummingbird
import Vecd
import VecdEmbed

/// The SigmaSight agent's knowledge-base and feedback routes (seed 001), with the columns of its `ai_kb_documents`
/// and `ai_feedback` tables as JSON fields.
///
/// The knowledge base is the collection ``collectionName``, created on the first index with the embedder's
/// dimension (or the first raw vector's), holding one chunk per document as seed 001 embeds each document once.
/// It is an ordinary collection, so `/v1` can search and manage it too.
struct SeedAgentRoutes {
    let services: ServerServices

    /// The collection behind `/api/v1/agent/kb`.
    static let collectionName = "agent_kb"

    func register(on router: Router<ServerContext>) {
        let agent = router.group("api/v1/agent")
        agent.post("kb/index", use: index)
        agent.get("kb/search", use: search)
        agent.post("messages/:id/feedback", use: feedback)
    }

    struct IndexRequest: Decodable {
        struct DocumentBody: Decodable {
            var title: String
            var content: String
            /// `global`, `page:portfolio-overview`, `tenant:XYZ`, …; `global` when absent.
            var scope: String?
            var metadata: Metadata?
            /// The document's embedding, instead of embedding its content.
            var vector: [Float]?
        }

        var documents: [DocumentBody]
    }

    struct IndexResponse: Encodable {
        var ids: [String]
    }

    /// Stores every document or none: a batch with one bad document is refused whole, and a document the embedder
    /// fails on takes the rest of its batch back out.
    @Sendable func index(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let body = try await JSONWire.decode(IndexRequest.self, from: request, limit: services.limits.maxBodyBytes)
        guard !body.documents.isEmpty else { throw APIError.invalidArgument("documents must not be empty") }
        try V1Wire.checkBatch(body.documents.count, what: "documents", maxBatch: services.limits.maxBatch)
        let userID = try caller.actingUser(requested: nil)
        let inputs = body.documents.map { document in
            DocumentInput(
                id: UUID().uuidString.lowercased(), title: document.title, content: document.content,
                scope: document.scope ?? "global", metadata: document.metadata ?? [:], userID: userID,
                vectors: document.vector.map { [$0] })
        }
        let store = services.store
        try ensureCollection(firstVector: body.documents.lazy.compactMap(\.vector).first)
        try store.checkIngestion(inputs, into: Self.collectionName, tenant: caller.tenant, chunking: .wholeDocument)
        let result = try await store.ingest(
            inputs, into: Self.collectionName, tenant: caller.tenant, chunking: .wholeDocument)
        if result.job.status == .queued {
            // A shutdown stopped the job first; its documents are committed to the queue and stored after the
            // next start, under these ids.
            return try JSONWire.response(IndexResponse(ids: inputs.compactMap(\.id)), status: .accepted)
        }
        if let failure = result.job.errors.first {
            for id in result.documentIDs.compactMap({ $0 }) { try store.deleteDocument(id: id, tenant: caller.tenant) }
            throw Self.storeError(failure)
        }
        return try JSONWire.response(IndexResponse(ids: result.documentIDs.compactMap { $0 }), status: .created)
    }

    /// Creates the knowledge-base collection on first use, for the embedder's vectors or else the first raw one's.
    private func ensureCollection(firstVector: [Float]?) throws {
        let store = services.store
        guard try !store.collections().contains(where: { $0.name == Self.collectionName }) else { return }
        let info: CollectionInfo
        if let embedder = store.embedder {
            info = CollectionInfo(name: Self.collectionName, dimension: embedder.dimension, modelID: embedder.modelID)
        } else if let firstVector {
            info = CollectionInfo(name: Self.collectionName, dimension: firstVector.count)
        } else {
            throw VecdError(.noEmbedder, "the documents have no vector, and the server has no embedder to make one")
        }
        try store.createCollection(info)
    }

    /// The store error a job recorded as `code: message`.
    static func storeError(_ failure: IngestionFailure) -> VecdError {
        let parts = failure.error.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { return VecdError(.storage, failure.error) }
        return VecdError(
            VecdError.Code(rawValue: String(parts[0])), "\(failure.document): \(parts[1].drop { $0 == " " })")
    }

    struct SearchResult: Encodable {
        var id: String
        var title: String
        var content: String
        var scope: String
        var metadata: Metadata
        var score: Double
    }

    struct SearchResponse: Encodable {
        var results: [SearchResult]
    }

    /// `?query=` (or `?vector=` as comma-separated numbers), `scope=` (exact; absent: every scope),
    /// `include_global=true` (with `scope`: also `global` documents), `k=` (default 5).
    @Sendable func search(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let parameters = QueryParameters(request)
        let query: TextOrVector
        switch (parameters.string("query"), parameters.string("vector")) {
        case (let text?, nil): query = .text(text)
        case (nil, let vector?): query = .vector(try Self.vector(vector))
        case (nil, nil): throw APIError.invalidArgument("the query parameter query (or vector) is required")
        case (_?, _?): throw APIError.invalidArgument("give query or vector, not both")
        }
        let k = try parameters.int("k", default: 5, in: 1...services.limits.maxK)
        let scope = parameters.string("scope")
        let filter = DocumentFilter(
            tenantID: caller.tenant, userID: try caller.actingUser(requested: parameters.string("user_id")),
            scopes: scope.map { [$0] }, includeGlobal: try parameters.bool("include_global"))
        let store = services.store
        // Nothing indexed yet: nothing to find.
        guard try store.collections().contains(where: { $0.name == Self.collectionName }) else {
            return try JSONWire.response(SearchResponse(results: []))
        }
        let hits = try await store.searchChunks(query, in: Self.collectionName, filter: filter, k: k).hits
        var seen = Set<String>()
        var results: [SearchResult] = []
        // A document longer than one chunk can match twice; it is listed once, at its best score, in full.
        for hit in hits where seen.insert(hit.document.id).inserted {
            let document = try store.document(id: hit.document.id, tenant: caller.tenant)
            results.append(
                SearchResult(
                    id: document.id, title: document.title, content: document.content, scope: document.scope,
                    metadata: document.metadata, score: hit.score))
        }
        return try JSONWire.response(SearchResponse(results: results))
    }

    /// A vector written as comma-separated numbers.
    static func vector(_ text: String) throws -> [Float] {
        var vector: [Float] = []
        for (position, part) in text.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            guard let value = Float(part.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                throw APIError.invalidArgument("vector[\(position)] must be a finite number, got \(part.prefix(40))")
            }
            vector.append(value)
        }
        return vector
    }

    /// `ai_feedback`'s columns, plus the fields `/v1/feedback` keeps for analysis (the exchange's text, a 1–5 score,
    /// a comment, metadata) so a client of this route can send them too and find them in `GET /v1/feedback` and the
    /// feedback export.
    struct FeedbackRequest: Decodable {
        var rating: FeedbackRating
        var editedText: String?
        var score: Int?
        var comment: String?
        var questionText: String?
        var answerText: String?
        var metadata: Metadata?

        enum CodingKeys: String, CodingKey {
            case rating, score, comment, metadata
            case editedText = "edited_text"
            case questionText = "question_text"
            case answerText = "answer_text"
        }
    }

    struct FeedbackResponse: Encodable {
        var id: String
        var messageID: String
        var rating: String
        @NullEncoded var editedText: String?
        var createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, rating
            case messageID = "message_id"
            case editedText = "edited_text"
            case createdAt = "created_at"
        }
    }

    /// Records thumbs up or down (with an optional edited answer) for the caller's message id, which vecd keeps
    /// as the opaque string it is.
    @Sendable func feedback(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let messageID = try V1Wire.pathParameter("id", in: context)
        let body = try await JSONWire.decode(FeedbackRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let feedback = try services.store.recordFeedback(
            FeedbackInput(
                messageID: messageID, rating: body.rating, score: body.score, editedText: body.editedText,
                comment: body.comment, questionText: body.questionText, answerText: body.answerText,
                metadata: body.metadata ?? [:]),
            tenant: caller.tenant)
        return try JSONWire.response(
            FeedbackResponse(
                id: feedback.id, messageID: messageID, rating: body.rating.rawValue,
                editedText: feedback.editedText, createdAt: WireDate.format(feedback.createdAt)),
            status: .created)
    }
}

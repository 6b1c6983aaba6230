import Foundation
import Hummingbird
import Vecd

/// `/v1/training`: interactions kept for fine-tuning (seed 002's `training_data`), listed, exported as JSONL, and
/// marked exported.
struct V1TrainingRoutes {
    let services: ServerServices

    func register(on router: Router<ServerContext>) {
        let v1 = router.group("v1")
        v1.post("training/examples", use: add)
        v1.get("training/examples", use: list)
        v1.get("training/export", use: export)
        v1.post("training/exported", use: markExported)
    }

    struct ExampleBody: Encodable {
        var id: String
        var input: String
        var output: String
        @NullEncoded var feedbackScore: Int?
        @NullEncoded var interactionType: String?
        @NullEncoded var language: String?
        var metadata: Metadata
        var exported: Bool
        var createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, input, output, language, metadata, exported
            case feedbackScore = "feedback_score"
            case interactionType = "interaction_type"
            case createdAt = "created_at"
        }

        init(_ example: TrainingExample) {
            id = example.id
            input = example.input
            output = example.output
            feedbackScore = example.feedbackScore
            interactionType = example.interactionType
            language = example.language
            metadata = example.metadata
            exported = example.exported
            createdAt = WireDate.format(example.createdAt)
        }
    }

    struct AddRequest: Decodable {
        var input: String
        var output: String
        var feedbackScore: Int?
        var interactionType: String?
        var language: String?
        var metadata: Metadata?

        enum CodingKeys: String, CodingKey {
            case input, output, language, metadata
            case feedbackScore = "feedback_score"
            case interactionType = "interaction_type"
        }
    }

    struct ListResponse: Encodable {
        var examples: [ExampleBody]
    }

    struct MarkRequest: Decodable {
        var ids: [String]
    }

    struct MarkResponse: Encodable {
        /// How many of the ids were the caller's examples.
        var marked: Int
    }

    @Sendable func add(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let body = try await JSONWire.decode(AddRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let example = try services.store.addTrainingExample(
            input: body.input, output: body.output, feedbackScore: body.feedbackScore,
            interactionType: body.interactionType, language: body.language, metadata: body.metadata ?? [:],
            tenant: caller.tenant)
        return try JSONWire.response(ExampleBody(example), status: .created)
    }

    @Sendable func list(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let query = QueryParameters(request)
        let examples = try services.store.trainingExamples(
            try selection(query), tenant: caller.tenant,
            limit: try query.int("limit", default: services.limits.maxK, in: 1...services.limits.maxK))
        return try JSONWire.response(ListResponse(examples: examples.map(ExampleBody.init)))
    }

    /// One JSON object per line (the store's export format), streamed a page at a time.
    @Sendable func export(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let query = QueryParameters(request)
        let markExported = try query.bool("mark_exported")
        if markExported { _ = try context.require(.write) }
        let lines = TrainingExportStream.start(
            store: services.store, selection: try selection(query), tenant: caller.tenant,
            markExported: markExported, logger: services.logger)
        var headers = HTTPFields()
        headers[.contentType] = "application/x-ndjson"
        return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: lines))
    }

    @Sendable func markExported(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let body = try await JSONWire.decode(MarkRequest.self, from: request, limit: services.limits.maxBodyBytes)
        try V1Wire.checkBatch(body.ids.count, what: "ids", maxBatch: services.limits.maxBatch)
        let marked = try services.store.markTrainingExported(ids: body.ids, tenant: caller.tenant)
        return try JSONWire.response(MarkResponse(marked: marked))
    }

    /// `since`, `min_score` (1–5) and `only_unexported` from the query string.
    private func selection(_ query: QueryParameters) throws -> VecdStore.TrainingSelection {
        let minimumScore = try query.string("min_score").map { _ in try query.int("min_score", default: 1, in: 1...5) }
        return VecdStore.TrainingSelection(
            since: try query.date("since"), minimumScore: minimumScore,
            onlyUnexported: try query.bool("only_unexported"))
    }
}

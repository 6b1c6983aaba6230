import Foundation
import Hummingbird
import Vecd

/// `/v1/feedback`: thumbs up/down on a message (seed 001) or a 1–5 score on an interaction (seed 002), its counts,
/// and the topics that drew negative feedback.
struct V1FeedbackRoutes {
    let services: ServerServices

    func register(on router: Router<ServerContext>) {
        let v1 = router.group("v1")
        v1.post("feedback", use: record)
        v1.get("feedback", use: list)
        v1.get("feedback/stats", use: stats)
        v1.get("feedback/topics", use: topics)
    }

    // MARK: - Wire shapes

    struct FeedbackBody: Encodable {
        var id: String
        @NullEncoded var messageID: String?
        @NullEncoded var interactionID: String?
        @NullEncoded var rating: String?
        @NullEncoded var score: Int?
        @NullEncoded var editedText: String?
        @NullEncoded var comment: String?
        @NullEncoded var questionText: String?
        @NullEncoded var answerText: String?
        var metadata: Metadata
        var createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, rating, score, comment, metadata
            case messageID = "message_id"
            case interactionID = "interaction_id"
            case editedText = "edited_text"
            case questionText = "question_text"
            case answerText = "answer_text"
            case createdAt = "created_at"
        }

        init(_ feedback: Feedback) {
            id = feedback.id
            messageID = feedback.messageID
            interactionID = feedback.interactionID
            rating = feedback.rating?.rawValue
            score = feedback.score
            editedText = feedback.editedText
            comment = feedback.comment
            questionText = feedback.questionText
            answerText = feedback.answerText
            metadata = feedback.metadata
            createdAt = WireDate.format(feedback.createdAt)
        }
    }

    struct RecordRequest: Decodable {
        var messageID: String?
        var interactionID: String?
        var rating: String?
        var score: Int?
        var editedText: String?
        var comment: String?
        var questionText: String?
        var answerText: String?
        var metadata: Metadata?

        enum CodingKeys: String, CodingKey {
            case rating, score, comment, metadata
            case messageID = "message_id"
            case interactionID = "interaction_id"
            case editedText = "edited_text"
            case questionText = "question_text"
            case answerText = "answer_text"
        }
    }

    struct ListResponse: Encodable {
        var feedback: [FeedbackBody]
    }

    struct StatsResponse: Encodable {
        var total: Int
        var up: Int
        var down: Int
        @NullEncoded var averageScore: Double?
        /// How many of each score: index 0 counts score 1, index 4 score 5.
        var scoreCounts: [Int]

        enum CodingKeys: String, CodingKey {
            case total, up, down
            case averageScore = "average_score"
            case scoreCounts = "score_counts"
        }
    }

    struct TopicBody: Encodable {
        var representativeQuestion: String
        var count: Int
        var examples: [String]

        enum CodingKeys: String, CodingKey {
            case count, examples
            case representativeQuestion = "representative_question"
        }
    }

    struct TopicsResponse: Encodable {
        var topics: [TopicBody]
        var skippedQuestions: Int

        enum CodingKeys: String, CodingKey {
            case topics
            case skippedQuestions = "skipped_questions"
        }
    }

    // MARK: - Handlers

    @Sendable func record(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let body = try await JSONWire.decode(RecordRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let input = FeedbackInput(
            messageID: body.messageID, interactionID: body.interactionID, rating: try body.rating.map(Self.rating),
            score: body.score, editedText: body.editedText, comment: body.comment, questionText: body.questionText,
            answerText: body.answerText, metadata: body.metadata ?? [:])
        let feedback = try services.store.recordFeedback(input, tenant: caller.tenant)
        return try JSONWire.response(FeedbackBody(feedback), status: .created)
    }

    @Sendable func list(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let query = QueryParameters(request)
        let feedback = try services.store.feedback(
            tenant: caller.tenant, messageID: query.string("message_id"),
            rating: try query.string("rating").map(Self.rating), since: try query.date("since"),
            limit: try query.int("limit", default: services.limits.maxK, in: 1...services.limits.maxK))
        return try JSONWire.response(ListResponse(feedback: feedback.map(FeedbackBody.init)))
    }

    @Sendable func stats(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let stats = try services.store.feedbackStats(tenant: caller.tenant)
        return try JSONWire.response(
            StatsResponse(
                total: stats.total, up: stats.up, down: stats.down, averageScore: stats.averageScore,
                scoreCounts: stats.scoreCounts))
    }

    @Sendable func topics(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let query = QueryParameters(request)
        let report = try await services.store.downRatedTopics(
            tenant: caller.tenant, maxTopics: try query.int("max_topics", default: 5, in: 1...100),
            maxQuestions: try query.int("max_questions", default: 5_000, in: 1...100_000))
        return try JSONWire.response(
            TopicsResponse(
                topics: report.topics.map {
                    TopicBody(representativeQuestion: $0.representativeQuestion, count: $0.count, examples: $0.examples)
                }, skippedQuestions: report.skippedQuestions))
    }

    static func rating(_ text: String) throws -> FeedbackRating {
        guard let rating = FeedbackRating(rawValue: text) else {
            throw APIError.invalidArgument("rating must be up or down, got \(text)")
        }
        return rating
    }
}

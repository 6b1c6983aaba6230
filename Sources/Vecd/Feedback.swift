public import Foundation

/// Thumbs up or down (seed 001).
public enum FeedbackRating: String, Sendable, CaseIterable, Codable {
    case up, down
}

/// Feedback to record: seed 001's (message id, up/down, edited text) or seed 002's (interaction id, score 1–5,
/// comment). At least one id and one of rating or score are required.
public struct FeedbackInput: Sendable {
    public var messageID: String?
    public var interactionID: String?
    public var rating: FeedbackRating?
    /// 1…5.
    public var score: Int?
    public var editedText: String?
    public var comment: String?
    /// The question and answer, for analysis when vecd does not hold the message itself.
    public var questionText: String?
    public var answerText: String?
    public var metadata: Metadata

    public init(
        messageID: String? = nil, interactionID: String? = nil, rating: FeedbackRating? = nil, score: Int? = nil,
        editedText: String? = nil, comment: String? = nil, questionText: String? = nil, answerText: String? = nil,
        metadata: Metadata = [:]
    ) {
        self.messageID = messageID
        self.interactionID = interactionID
        self.rating = rating
        self.score = score
        self.editedText = editedText
        self.comment = comment
        self.questionText = questionText
        self.answerText = answerText
        self.metadata = metadata
    }
}

/// Recorded feedback.
public struct Feedback: Sendable, Equatable {
    public var id: String
    public var tenantID: String
    public var messageID: String?
    public var interactionID: String?
    public var rating: FeedbackRating?
    public var score: Int?
    public var editedText: String?
    public var comment: String?
    public var questionText: String?
    public var answerText: String?
    public var metadata: Metadata
    public var createdAt: Date
}

/// Counts over a tenant's feedback.
public struct FeedbackStats: Sendable, Equatable {
    public var total: Int
    public var up: Int
    public var down: Int
    /// Mean of the 1–5 scores, nil when none was given.
    public var averageScore: Double?
    /// How many of each score 1…5 (index 0 is score 1).
    public var scoreCounts: [Int]
}

/// An interaction kept for fine-tuning (seed 002's `training_data`).
public struct TrainingExample: Sendable, Equatable, Codable {
    public var id: String
    public var input: String
    public var output: String
    /// 1…5.
    public var feedbackScore: Int?
    /// `command`, `question`, `conversation`, …
    public var interactionType: String?
    public var language: String?
    public var metadata: Metadata
    public var exported: Bool
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, input, output, language, metadata, exported
        case feedbackScore = "feedback_score"
        case interactionType = "interaction_type"
        case createdAt = "created_at"
    }
}

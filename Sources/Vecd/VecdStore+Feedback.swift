import Foundation
import VecdSQLite

extension VecdStore {
    /// Records feedback for `tenant`; returns it with its new id.
    @discardableResult
    public func recordFeedback(_ input: FeedbackInput, tenant: String = defaultTenant) throws(VecdError) -> Feedback {
        try checkTenant(tenant)
        guard input.messageID != nil || input.interactionID != nil else {
            throw VecdError(.invalidArgument, "feedback needs a message id or an interaction id")
        }
        guard input.rating != nil || input.score != nil else {
            throw VecdError(.invalidArgument, "feedback needs a rating (up/down) or a score (1–5)")
        }
        if let score = input.score, !(1...5).contains(score) {
            throw VecdError(.invalidArgument, "score must be in 1...5, got \(score)")
        }
        for id in [input.messageID, input.interactionID].compactMap({ $0 }) {
            try checkIdentifier(id, what: "feedback id")
        }
        for text in [input.editedText, input.comment, input.questionText, input.answerText].compactMap({ $0 })
        where text.utf8.count > configuration.maxTextByteCount {
            throw VecdError(
                .tooLarge, "feedback text has \(text.utf8.count) bytes; the limit is \(configuration.maxTextByteCount)")
        }
        try checkMetadata(input.metadata)
        let id = newID()
        let stamp = milliseconds(now)
        return try write { state, _ in
            try state.connection.run(
                """
                INSERT INTO feedback (id, tenant_id, message_id, interaction_id, rating, score, edited_text, comment,
                    question_text, answer_text, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    id, tenant, input.messageID, input.interactionID, input.rating?.rawValue, input.score,
                    input.editedText,
                    input.comment, input.questionText, input.answerText, input.metadata.jsonText, stamp,
                ])
            return Feedback(
                id: id, tenantID: tenant, messageID: input.messageID, interactionID: input.interactionID,
                rating: input.rating, score: input.score, editedText: input.editedText, comment: input.comment,
                questionText: input.questionText, answerText: input.answerText, metadata: input.metadata,
                createdAt: date(milliseconds: stamp))
        }
    }

    /// `tenant`'s feedback, oldest first, optionally for one message, one rating, or since a time.
    public func feedback(
        tenant: String = defaultTenant, messageID: String? = nil, rating: FeedbackRating? = nil, since: Date? = nil,
        limit: Int = 1_000
    ) throws(VecdError) -> [Feedback] {
        guard (1...100_000).contains(limit) else { throw VecdError(.invalidArgument, "limit must be in 1...100000") }
        return try read { state in
            try state.connection.query(
                """
                SELECT id, tenant_id, message_id, interaction_id, rating, score, edited_text, comment, question_text,
                    answer_text, metadata, created_at FROM feedback
                WHERE tenant_id = ? AND (? IS NULL OR message_id = ?) AND (? IS NULL OR rating = ?)
                    AND created_at >= ? ORDER BY created_at, id LIMIT ?
                """,
                [
                    tenant, messageID, messageID, rating?.rawValue, rating?.rawValue,
                    since.map(milliseconds) ?? Int64.min,
                    limit,
                ]
            ) { row in
                Feedback(
                    id: row.string(0), tenantID: row.string(1), messageID: row.optionalString(2),
                    interactionID: row.optionalString(3), rating: row.optionalString(4).flatMap(FeedbackRating.init),
                    score: row.optionalInt(5), editedText: row.optionalString(6), comment: row.optionalString(7),
                    questionText: row.optionalString(8), answerText: row.optionalString(9),
                    metadata: .parse(row.string(10)), createdAt: date(milliseconds: row.int64(11)))
            }
        }
    }

    /// Counts of `tenant`'s feedback.
    public func feedbackStats(tenant: String = defaultTenant) throws(VecdError) -> FeedbackStats {
        try read { state in
            let totals = try state.connection.queryFirst(
                "SELECT count(*), count(*) FILTER (WHERE rating = 'up'), count(*) FILTER (WHERE rating = 'down'), "
                    + "avg(score) FROM feedback WHERE tenant_id = ?", [tenant]
            ) { ($0.int(0), $0.int(1), $0.int(2), $0.isNull(3) ? nil : $0.double(3)) }!
            var counts = [Int](repeating: 0, count: 5)
            for (score, count) in try state.connection.query(
                "SELECT score, count(*) FROM feedback WHERE tenant_id = ? AND score IS NOT NULL GROUP BY score",
                [tenant],
                row: { ($0.int(0), $0.int(1)) })
            {
                counts[score - 1] = count
            }
            return FeedbackStats(
                total: totals.0, up: totals.1, down: totals.2, averageScore: totals.3, scoreCounts: counts)
        }
    }
}

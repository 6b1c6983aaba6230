import Foundation

/// Seed 001's agent knowledge-base and message-feedback routes.
extension VecdClient {
    /// A document for ``indexDocuments(_:)``, shaped like seed 001's `ai_kb_documents` row.
    public struct KBDocument: Codable, Sendable, Equatable {
        public var title: String
        public var content: String
        /// `global`, `page:…`, `tenant:…`: free text matched exactly by ``searchKnowledgeBase(query:scope:k:includeGlobal:)``.
        public var scope: String
        public var metadata: [String: JSONValue]

        public init(title: String, content: String, scope: String = "global", metadata: [String: JSONValue] = [:]) {
            self.title = title
            self.content = content
            self.scope = scope
            self.metadata = metadata
        }
    }

    /// A knowledge-base hit.
    public struct KBResult: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var content: String
        public var scope: String
        public var metadata: [String: JSONValue]
        public var score: Double
    }

    struct IndexBody: Encodable {
        var documents: [KBDocument]
    }

    struct IndexAnswer: Decodable, Sendable {
        var ids: [String]
    }

    /// `POST /api/v1/agent/kb/index`: stores the documents and returns their new ids, in order.
    public func indexDocuments(_ documents: [KBDocument]) async throws -> [String] {
        let answer: IndexAnswer = try await send("POST", "/api/v1/agent/kb/index", body: IndexBody(documents: documents))
        return answer.ids
    }

    /// `GET /api/v1/agent/kb/search`.
    public func searchKnowledgeBase(
        query: String, scope: String? = nil, k: Int = 5, includeGlobal: Bool = false
    ) async throws -> [KBResult] {
        let results: Results<KBResult> = try await send(
            "GET", "/api/v1/agent/kb/search",
            query: [
                "query": query, "scope": scope, "k": String(k), "include_global": includeGlobal ? "true" : nil,
            ])
        return results.results
    }

    /// Seed 001's thumbs up or down.
    public enum Rating: String, Codable, Sendable {
        case up, down
    }

    struct MessageFeedbackBody: Encodable {
        var rating: Rating
        var editedText: String?

        enum CodingKeys: String, CodingKey {
            case rating
            case editedText = "edited_text"
        }
    }

    /// `POST /api/v1/agent/messages/{id}/feedback`; `messageID` is the caller's own id for the message.
    @discardableResult
    public func messageFeedback(messageID: String, rating: Rating, editedText: String? = nil) async throws -> String {
        let escaped = messageID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"]))
            ?? messageID
        let answer: Identified = try await send(
            "POST", "/api/v1/agent/messages/\(escaped)/feedback",
            body: MessageFeedbackBody(rating: rating, editedText: editedText))
        return answer.id
    }
}

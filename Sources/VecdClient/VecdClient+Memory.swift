import Foundation

/// Seed 002's memory, preference, training and cache routes.
extension VecdClient {
    /// The answer to ``addMemory(content:tags:source:vector:)``.
    public struct AddedMemory: Codable, Sendable, Equatable {
        public var id: String
        /// True when the text was merged into a near-duplicate memory (whose id this is).
        public var merged: Bool
    }

    /// A memory found by ``searchMemories(query:limit:)``.
    public struct MemoryResult: Codable, Sendable, Equatable {
        public var id: String
        public var content: String
        public var tags: [String]
        public var source: String?
        public var score: Double
        public var createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, content, tags, source, score
            case createdAt = "created_at"
        }
    }

    struct Results<Item: Decodable & Sendable>: Decodable, Sendable {
        var results: [Item]
    }

    struct AddMemoryBody: Encodable {
        var content: String
        var tags: [String]
        var source: String?
        var vector: [Float]?
    }

    /// `POST /memory/add`.
    public func addMemory(
        content: String, tags: [String] = [], source: String? = nil, vector: [Float]? = nil
    ) async throws -> AddedMemory {
        try await send(
            "POST", "/memory/add", body: AddMemoryBody(content: content, tags: tags, source: source, vector: vector))
    }

    /// `GET /memory/search`.
    public func searchMemories(query: String, limit: Int = 10) async throws -> [MemoryResult] {
        let results: Results<MemoryResult> = try await send(
            "GET", "/memory/search", query: ["query": query, "limit": String(limit)])
        return results.results
    }

    /// A stored preference.
    public struct Preference: Codable, Sendable, Equatable {
        public var key: String
        public var value: JSONValue
        public var category: String?
        public var updatedAt: String

        enum CodingKeys: String, CodingKey {
            case key, value, category
            case updatedAt = "updated_at"
        }
    }

    struct SetPreferenceBody: Encodable {
        var key: String
        var value: JSONValue
        var category: String?
    }

    /// `POST /preferences/set`.
    @discardableResult
    public func setPreference(key: String, value: JSONValue, category: String? = nil) async throws -> Preference {
        try await send(
            "POST", "/preferences/set", body: SetPreferenceBody(key: key, value: value, category: category))
    }

    /// `GET /preferences/get`; nil for a key never set.
    public func preference(key: String) async throws -> Preference? {
        do {
            return try await send("GET", "/preferences/get", query: ["key": key])
        } catch let error as VecdClientError where error.status == 404 {
            return nil
        }
    }

    struct FeedbackBody: Encodable {
        var interactionID: String
        var score: Int
        var comment: String?

        enum CodingKeys: String, CodingKey {
            case score, comment
            case interactionID = "interaction_id"
        }
    }

    struct Identified: Decodable, Sendable {
        var id: String
    }

    /// `POST /training/feedback`: a 1–5 score for one of the caller's interactions; returns the feedback id.
    @discardableResult
    public func recordFeedback(interactionID: String, score: Int, comment: String? = nil) async throws -> String {
        let answer: Identified = try await send(
            "POST", "/training/feedback",
            body: FeedbackBody(interactionID: interactionID, score: score, comment: comment))
        return answer.id
    }

    /// `GET /training/export`: the JSONL lines, each one JSON object.
    public func exportTraining(since: String? = nil, markExported: Bool = false) async throws -> [String] {
        let data = try await sendRaw(
            "GET", "/training/export", query: ["since": since, "mark_exported": markExported ? "true" : nil])
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// `GET /cache/stats`.
    public struct CacheStats: Codable, Sendable, Equatable {
        public var hits: Int
        public var misses: Int
        public var hitRate: Double
        public var entries: Int
        public var bytes: Int

        enum CodingKeys: String, CodingKey {
            case hits, misses, entries, bytes
            case hitRate = "hit_rate"
        }
    }

    public func cacheStats() async throws -> CacheStats { try await send("GET", "/cache/stats") }

    struct Removed: Decodable, Sendable {
        var removed: Int
    }

    /// `DELETE /cache/clear`: removes expired entries, or every entry with `all`; returns how many.
    @discardableResult
    public func clearCache(all: Bool = false) async throws -> Int {
        let answer: Removed = try await send("DELETE", "/cache/clear", query: ["all": all ? "true" : nil])
        return answer.removed
    }

    /// Whether `GET /healthz` answers 200.
    public func isHealthy() async -> Bool {
        (try? await sendRaw("GET", "/healthz")) != nil
    }
}

import Foundation
import Hummingbird
import Vecd

/// `POST /v1/collections/{name}/search`: vector (text or raw vector), full-text and hybrid search over a
/// collection's chunks, with the store's document filter.
struct V1SearchRoutes {
    let services: ServerServices

    func register(on router: Router<ServerContext>) {
        router.group("v1").post("collections/:name/search", use: search)
    }

    enum Mode: String, Decodable, CaseIterable {
        /// Nearest chunks to the embedded `query` or to `vector`.
        case vector
        /// bm25 over the chunks' text.
        case text
        /// Both, fused by reciprocal rank.
        case hybrid
    }

    /// The store's ``DocumentFilter`` on the wire.
    struct FilterBody: Decodable {
        var userID: String?
        var scopes: [String]?
        var includeGlobal: Bool?
        var documentTypes: [DocumentType]?
        var documentIDs: [String]?
        var metadata: Metadata?
        var createdAfter: String?
        var createdBefore: String?

        enum CodingKeys: String, CodingKey {
            case scopes, metadata
            case userID = "user_id"
            case includeGlobal = "include_global"
            case documentTypes = "document_types"
            case documentIDs = "document_ids"
            case createdAfter = "created_after"
            case createdBefore = "created_before"
        }
    }

    struct WeightsBody: Decodable {
        var vector: Double?
        var text: Double?
        var rrfK: Double?

        enum CodingKeys: String, CodingKey {
            case vector, text
            case rrfK = "rrf_k"
        }
    }

    struct SearchRequest: Decodable {
        var mode: Mode?
        var query: String?
        var vector: [Float]?
        var k: Int?
        var minScore: Double?
        /// The candidate-list size of this vector search (pgvector's `hnsw.ef_search`); the store's when absent.
        var efSearch: Int?
        var filter: FilterBody?
        var weights: WeightsBody?

        enum CodingKeys: String, CodingKey {
            case mode, query, vector, k, filter, weights
            case minScore = "min_score"
            case efSearch = "ef_search"
        }
    }

    struct SearchResponse: Encodable {
        var mode: String
        var results: [HitWire]
        /// How the vector search found its results; null for full-text and hybrid search.
        @NullEncoded var report: SearchReportWire?
    }

    @Sendable func search(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let collection = try V1DocumentRoutes.collectionName(context)
        let bytes = try await JSONWire.body(of: request, limit: services.limits.maxBodyBytes)
        let body = try SearchRequestScanner.scan(bytes) ?? JSONWire.decode(SearchRequest.self, from: bytes)
        let k = body.k ?? 10
        try V1Wire.checkK(k, maxK: services.limits.maxK)
        let filter = try documentFilter(body.filter, caller: caller)
        let mode = body.mode ?? .vector
        if body.minScore != nil && mode != .vector {
            throw APIError.invalidArgument("min_score applies to mode vector only")
        }
        if body.efSearch != nil && mode != .vector {
            throw APIError.invalidArgument("ef_search applies to mode vector only")
        }
        if body.weights != nil && mode != .hybrid {
            throw APIError.invalidArgument("weights apply to mode hybrid only")
        }
        let store = services.store
        switch mode {
        case .vector:
            let query: TextOrVector
            switch (body.query, body.vector) {
            case (let text?, nil): query = .text(text)
            case (nil, let vector?): query = .vector(vector)
            case (nil, nil): throw APIError.invalidArgument("vector search needs query (text) or vector")
            case (_?, _?): throw APIError.invalidArgument("vector search takes query or vector, not both")
            }
            let result = try await store.searchChunks(
                query, in: collection, filter: filter, k: k, minScore: body.minScore, efSearch: body.efSearch)
            return try Self.response(
                SearchResponse(
                    mode: mode.rawValue, results: result.hits.map(HitWire.init),
                    report: result.report.map(SearchReportWire.init)))
        case .text:
            guard body.vector == nil else { throw APIError.invalidArgument("full-text search takes no vector") }
            let hits = try store.fullTextSearch(try requiredQuery(body, mode), in: collection, filter: filter, k: k)
            return try Self.response(
                SearchResponse(mode: mode.rawValue, results: hits.map(HitWire.init), report: nil))
        case .hybrid:
            let defaults = FusionWeights()
            let weights = FusionWeights(
                vector: body.weights?.vector ?? defaults.vector, text: body.weights?.text ?? defaults.text,
                rrfK: body.weights?.rrfK ?? defaults.rrfK)
            let hits = try await store.hybridSearch(
                try requiredQuery(body, mode), vector: body.vector, in: collection, filter: filter, k: k,
                weights: weights)
            return try Self.response(
                SearchResponse(mode: mode.rawValue, results: hits.map(HitWire.init), report: nil))
        }
    }

    /// The answer through ``SearchResponseWriter``, or JSONEncoder when a number has no JSON form (its error stays).
    static func response(_ answer: SearchResponse) throws -> Response {
        if let encoded = SearchResponseWriter.encode(answer) { return JSONWire.response(encoded: encoded) }
        return try JSONWire.response(answer)
    }

    private func requiredQuery(_ body: SearchRequest, _ mode: Mode) throws -> String {
        guard let query = body.query else {
            throw APIError.invalidArgument("\(mode.rawValue) search needs query (the text to match)")
        }
        return query
    }

    /// The caller's tenant, the acting user and the body's conditions as the store's filter.
    private func documentFilter(_ body: FilterBody?, caller: Principal) throws -> DocumentFilter {
        func date(_ text: String?, _ name: String) throws -> Date? {
            guard let text else { return nil }
            guard let date = WireDate.parse(text) else {
                throw APIError.invalidArgument("filter.\(name) must be an ISO 8601 date or timestamp, got \(text)")
            }
            return date
        }
        if body?.includeGlobal == true && body?.scopes == nil {
            throw APIError.invalidArgument("filter.include_global applies only with filter.scopes")
        }
        return DocumentFilter(
            tenantID: caller.tenant, userID: try caller.actingUser(requested: body?.userID), scopes: body?.scopes,
            includeGlobal: body?.includeGlobal ?? false, documentTypes: body?.documentTypes,
            documentIDs: body?.documentIDs, metadata: body?.metadata ?? [:],
            createdAfter: try date(body?.createdAfter, "created_after"),
            createdBefore: try date(body?.createdBefore, "created_before"))
    }
}

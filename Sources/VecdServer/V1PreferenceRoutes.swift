import Foundation
import Hummingbird
import Vecd

/// `/v1/preferences`: JSON values under keys (seed 002's `preferences`), tenant-wide or per user.
///
/// With `user_id` (or a user-bound key) a read returns the user's own value and falls back to the tenant-wide one;
/// a write or delete touches the user's own value only. Keys go in the path, percent-encoded where needed.
struct V1PreferenceRoutes {
    let services: ServerServices

    func register(on router: Router<ServerContext>) {
        let v1 = router.group("v1")
        v1.get("preferences", use: list)
        v1.get("preferences/:key", use: get)
        v1.put("preferences/:key", use: set)
        v1.delete("preferences/:key", use: delete)
    }

    struct PreferenceBody: Encodable {
        var key: String
        var value: JSONValue
        @NullEncoded var category: String?
        /// The user the value belongs to; null for the tenant-wide value.
        @NullEncoded var userID: String?
        var createdAt: String
        var updatedAt: String

        enum CodingKeys: String, CodingKey {
            case key, value, category
            case userID = "user_id"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }

        init(_ preference: Preference) {
            key = preference.key
            value = preference.value
            category = preference.category
            userID = preference.userID
            createdAt = WireDate.format(preference.createdAt)
            updatedAt = WireDate.format(preference.updatedAt)
        }
    }

    struct SetRequest: Decodable {
        var value: JSONValue
        var category: String?
        var userID: String?

        enum CodingKeys: String, CodingKey {
            case value, category
            case userID = "user_id"
        }
    }

    struct ListResponse: Encodable {
        var preferences: [PreferenceBody]
    }

    @Sendable func list(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let query = QueryParameters(request)
        let preferences = try services.store.preferences(
            tenant: caller.tenant, userID: try caller.actingUser(requested: query.string("user_id")),
            category: query.string("category"))
        return try JSONWire.response(ListResponse(preferences: preferences.map(PreferenceBody.init)))
    }

    @Sendable func get(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let preference = try services.store.preference(
            key: try V1Wire.pathParameter("key", in: context), tenant: caller.tenant,
            userID: try caller.actingUser(requested: QueryParameters(request).string("user_id")))
        return try JSONWire.response(PreferenceBody(preference))
    }

    @Sendable func set(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let key = try V1Wire.pathParameter("key", in: context)
        let body = try await JSONWire.decode(SetRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let preference = try services.store.setPreference(
            key: key, value: body.value, category: body.category, tenant: caller.tenant,
            userID: try caller.actingUser(requested: body.userID))
        return try JSONWire.response(PreferenceBody(preference))
    }

    @Sendable func delete(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        try services.store.deletePreference(
            key: try V1Wire.pathParameter("key", in: context), tenant: caller.tenant,
            userID: try caller.actingUser(requested: QueryParameters(request).string("user_id")))
        return V1Wire.noContent()
    }
}
